#!/bin/sh
# make bench: cpuidmask's speed and memory, and the peers side by side on the same hosts.
# Prints Markdown (docs/performance.md shows a run). Numbers to compare between commits and
# machines, not a pass/fail test; the targets are printed beside the figures.
#
#   sh bench/run.sh [BUILD]        BENCH_SIZES="1000 10000 100000" BENCH_PEER_SIZES="2 10 100 1000"
#
# Work files go to $BENCH_DIR (default: BUILD/bench), regenerated only when missing.
set -eu
build=${1:-build}
bin=$build/cpuidmask
gen=$build/gen_hosts
measure=$build/measure
work=${BENCH_DIR:-$build/bench}
sizes=${BENCH_SIZES:-1000 10000 100000}
peer_sizes=${BENCH_PEER_SIZES:-2 10 100 1000}
shared=${SHARED:-../shared}
mkdir -p "$work"

# ms -> "12.3 ms" ; ratio a/b with one decimal
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else printf "-" }'
}
mbps() {	# bytes ms -> MB/s
	awk -v b="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.0f", b / 1e6 / (t / 1e3); else printf "-" }'
}
field() {	# "median best rss status" -> one of them
	echo "$1" | cut -d' ' -f"$2"
}
gen_once() {	# DIR N FORMAT PER_FILE DUMP...
	dir=$1 n=$2 fmt=$3 k=$4
	shift 4
	if [ ! -e "$dir/.done" ]; then
		rm -rf "$dir"
		"$gen" -n "$n" -s 1 -k "$k" -f "$fmt" "$dir" "$@"
		touch "$dir/.done"
	fi
}

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "# cpuidmask benchmark"
echo
echo "$(uname -sm), $cpu, $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);"
echo "cpuidmask $("$bin" --version | cut -d' ' -f2), built with $(${CC:-cc} --version | head -1)."
echo "Times are medians of several runs (best in brackets), wall clock, one process each."
echo

echo "## fleet: scaling (cpuidmask dumps, 1,000 hosts per file)"
echo
echo "Targets: 100,000 hosts in under 1 s end to end, >= 1 GB/s, peak RSS under 64 MB, linear."
echo
echo "| hosts | input | time | throughput | per host | peak RSS |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for n in $sizes; do
	dir="$work/canonical-$n"
	gen_once "$dir" "$n" cpuidmask 1000 tests/data/dumps/*.dump
	bytes=$(cat "$dir"/*.dump | wc -c)
	runs=5
	[ "$n" -ge 100000 ] && runs=3
	r=$("$measure" -r $runs "$bin" fleet "$dir")
	t=$(field "$r" 1)
	echo "| $n | $((bytes / 1000000)) MB | $t ms [$(field "$r" 2)] | $(mbps "$bytes" "$t") MB/s |" \
		"$(awk -v t="$t" -v n="$n" 'BEGIN { printf "%.2f us", t * 1000 / n }') |" \
		"$(($(field "$r" 3) / 1024)) MiB |"
done
echo

echo "## fleet: every format (10,000 hosts)"
echo
echo "One file per host for the formats that hold one host; 1,000 per file for the others."
echo
echo "| format | files | input | time | throughput | peak RSS |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for fmt in cpuidmask cpuid-r vmware-log libvirt instlat vsphere; do
	dir="$work/fmt-$fmt"
	gen_once "$dir" 10000 "$fmt" 1000 tests/data/dumps/*.dump
	files=$(find "$dir" -type f ! -name .done | wc -l)
	bytes=$(find "$dir" -type f ! -name .done -exec cat {} + | wc -c)
	r=$("$measure" -r 3 "$bin" fleet "$dir")
	t=$(field "$r" 1)
	echo "| $fmt | $files | $((bytes / 1000000)) MB | $t ms [$(field "$r" 2)] | $(mbps "$bytes" "$t") MB/s |" \
		"$(($(field "$r" 3) / 1024)) MiB |"
done
echo

echo "## fleet: cpuid -r, one file per host (100,000 hosts)"
echo
dir="$work/cpuid-r-100000"
gen_once "$dir" 100000 cpuid-r 1 tests/data/dumps/*.dump
bytes=$(find "$dir" -type f -name '*.txt' -exec cat {} + | wc -c)
r=$("$measure" -r 3 "$bin" fleet "$dir")
t=$(field "$r" 1)
echo "100,000 files, $((bytes / 1000000)) MB: $t ms [$(field "$r" 2)], $(mbps "$bytes" "$t") MB/s," \
	"peak RSS $(($(field "$r" 3) / 1024)) MiB."
echo

echo "## Reader throughput (in-process, no file system)"
echo
echo "MB/s and CPUs/s: the strict readers (what \`show\` and \`diff\` use, every leaf kept)."
echo "Fleet path: the same bytes through cm_fleet_add(), as \`fleet\` reads them (a fast path"
echo "for cpuidmask and cpuid -r text, the strict reader for the other formats)."
echo
big="$work/bench-2000cpus.txt"
if [ ! -e "$big" ]; then
	body=$(awk 'NR > 1' tests/data/formats/cpuid-r/amd-epyc-zen5-kvm-guest.txt)
	i=0
	while [ $i -lt 2000 ]; do
		echo "CPU $i:"
		echo "$body"
		i=$((i + 1))
	done >"$big"
fi
# a file of up to 1,000 generated hosts from the scaling runs above
hosts=$(ls "$work"/canonical-*/hosts-000000.dump | head -n 1)
"$build/bench_read" 0.5 "$big" "$hosts" \
	tests/data/dumps/xeon-w7-3465x.dump \
	tests/data/formats/cpuid-r/amd-epyc-zen5-kvm-guest.txt \
	tests/data/formats/instlat/atom-c2750-aida64-4.00.txt \
	tests/data/formats/vmware-log/ws17-core-i5-2500.log \
	tests/data/formats/libvirt/core-i7-3770.xml \
	tests/data/formats/vsphere/govc-host-info-json.txt
echo

echo "## Side by side: decoding one dump"
echo
dump=tests/data/formats/cpuid-r/core-i7-3770.txt
echo "The Core i7-3770 as \`cpuid -r\` text ($dump), 50 runs each."
echo
echo "| command | time | ratio |"
echo "| --- | ---: | ---: |"
r=$("$measure" -r 50 "$bin" show "$dump")
ours=$(field "$r" 1)
echo "| \`cpuidmask show\` | $ours ms [$(field "$r" 2)] | 1 |"
if command -v cpuid >/dev/null; then
	r=$("$measure" -r 50 cpuid -f "$dump")
	echo "| \`cpuid -f\` (Debian cpuid) | $(field "$r" 1) ms [$(field "$r" 2)] | $(ratio "$(field "$r" 1)" "$ours") |"
else
	echo "| \`cpuid -f\` | not installed (apt-get install cpuid) | |"
fi
r=$("$measure" -r 50 /bin/true)
echo "| \`/bin/true\` (process start) | $(field "$r" 1) ms [$(field "$r" 2)] | |"
echo

echo "## Side by side: the baseline of N hosts"
echo
echo "Intel hosts generated from the real Intel dumps; libvirt needs one vendor and its own"
echo "<cpu> XML, converted from the same cpuid -r files by $shared/peers/cpuid2libvirt.sh"
echo "before timing. cpuidmask reads the raw dumps themselves."
echo
conv=$shared/peers/cpuid2libvirt.sh
if ! command -v virsh >/dev/null; then
	echo "virsh not installed (apt-get install libvirt-clients): skipped."
elif [ ! -r "$conv" ]; then
	echo "$conv not found (the reference material beside the checkout): skipped."
else
	intel=$(grep -l '^00000000 .* 756e6547' tests/data/dumps/*.dump)
	max=0
	for n in $peer_sizes; do [ "$n" -gt "$max" ] && max=$n; done
	dir="$work/intel-cpuid-r-$max"
	# shellcheck disable=SC2086
	gen_once "$dir" "$max" cpuid-r 1 $intel
	xmls="$work/intel-libvirt-$max"
	if [ ! -e "$xmls/.done" ]; then
		rm -rf "$xmls" && mkdir -p "$xmls"
		for f in "$dir"/*.txt; do
			sh "$conv" "$f" | grep -v '^<?xml' >"$xmls/$(basename "$f" .txt).xml"
		done
		touch "$xmls/.done"
	fi
	echo "| hosts | \`virsh -c test:///default cpu-baseline\` | \`cpuidmask baseline --target libvirt\` | ratio | \`cpuidmask fleet\` | ratio |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
	for n in $peer_sizes; do
		list=$(find "$dir" -name '*.txt' | sort | head -n "$n")
		sub="$work/intel-sub-$n"
		rm -rf "$sub" && mkdir -p "$sub"
		# shellcheck disable=SC2086
		cp $list "$sub/"
		for f in $list; do
			cat "$xmls/$(basename "$f" .txt).xml"
		done >"$work/intel-$n.xml"
		runs=10
		[ "$n" -ge 1000 ] && runs=5
		v=$("$measure" -r $runs virsh -c test:///default cpu-baseline "$work/intel-$n.xml")
		# shellcheck disable=SC2086
		b=$("$measure" -r $runs "$bin" baseline --target libvirt $list)
		fl=$("$measure" -r $runs "$bin" fleet "$sub")
		if [ "$(field "$v" 4)" != 0 ] || [ "$(field "$b" 4)" != 0 ]; then
			echo "| $n | exit $(field "$v" 4) | exit $(field "$b" 4) | | | |"
			continue
		fi
		echo "| $n | $(field "$v" 1) ms | $(field "$b" 1) ms | $(ratio "$(field "$v" 1)" "$(field "$b" 1)") |" \
			"$(field "$fl" 1) ms | $(ratio "$(field "$v" 1)" "$(field "$fl" 1)") |"
	done
fi
