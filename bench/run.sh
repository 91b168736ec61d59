#!/bin/sh
# make bench: reader throughput on the format samples and a generated 2,000-CPU cpuid -r
# file, then the end-to-end time of `cpuidmask show` and `diff`. Results go to stdout as
# Markdown; they are numbers to compare between commits, not a pass/fail test.
set -eu
bin=${1:-build/cpuidmask}
build=$(dirname "$bin")
cc=${CC:-cc}
# shellcheck disable=SC2046
$cc -std=c17 -O2 -Iinclude -o "$build/bench_read" bench/bench_read.c "$build/libcpuidmask.a" \
	$(pkg-config --libs libxml-2.0)
big="$build/bench-2000cpus.txt"
awk 'NR > 1' tests/data/formats/cpuid-r/amd-epyc-zen5-kvm-guest.txt > "$build/bench-cpu.txt"
i=0
: > "$big"
while [ $i -lt 2000 ]; do
	echo "CPU $i:" >> "$big"
	cat "$build/bench-cpu.txt" >> "$big"
	i=$((i + 1))
done
echo "## Reader throughput ($(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
echo
"$build/bench_read" 0.5 "$big" tests/data/dumps/xeon-w7-3465x.dump \
	tests/data/formats/cpuid-r/amd-epyc-zen5-kvm-guest.txt \
	tests/data/formats/instlat/atom-c2750-aida64-4.00.txt \
	tests/data/formats/vmware-log/ws17-core-i5-2500.log \
	tests/data/formats/libvirt/core-i7-3770.xml \
	tests/data/formats/vsphere/govc-host-info-json.txt
echo
echo "## Whole commands (mean of 50 runs)"
echo
for cmd in "show tests/data/dumps/core-i7-3770.dump" \
	"diff tests/data/dumps/atom-c2750.dump tests/data/dumps/core-i7-3770.dump" \
	"show host"; do
	start=$(date +%s%N)
	n=0
	while [ $n -lt 50 ]; do
		# shellcheck disable=SC2086
		"$bin" $cmd >/dev/null || [ $? -eq 1 ]
		n=$((n + 1))
	done
	end=$(date +%s%N)
	echo "- \`cpuidmask $cmd\`: $(( (end - start) / 50000 )) us"
done
