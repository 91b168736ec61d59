#!/bin/sh
# Build the libFuzzer targets (clang, with ASan+UBSan) into DIR and run each for SECONDS
# from its seed corpus (tests/data/formats/<format>/ and tests/data/dumps/). Prints one
# PASS/FAIL line per target. A crash leaves its input in DIR/crash-<target>-*.
dir=${1:-build/fuzz}
seconds=${2:-5}
cc=${FUZZ_CC:-clang}
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "FAIL fuzz (no $cc; run 'make deps')"
	exit 1
fi
mkdir -p "$dir"
common="-std=c17 -g -O1 -fno-sanitize-recover=all -D_DEFAULT_SOURCE -Iinclude $(pkg-config --cflags libxml-2.0)"
libs="$(pkg-config --libs libxml-2.0)"
status=0
# the library once, instrumented for coverage; then one small link per target
mkdir -p "$dir/lib"
for src in lib/*.c; do
	obj="$dir/lib/$(basename "$src" .c).o"
	if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] || [ lib/internal.h -nt "$obj" ] || [ include/cpuidmask.h -nt "$obj" ]; then
		# shellcheck disable=SC2086
		$cc $common -fsanitize=fuzzer-no-link,address,undefined -c -o "$obj" "$src" || {
			echo "FAIL fuzz (library build)"; exit 1; }
	fi
done
flags="$common -fsanitize=fuzzer,address,undefined"
for target in cpuidmask cpuid-r instlat vmware-log libvirt vsphere auto; do
	name=fuzz_read_$(echo "$target" | tr - _)
	if [ "$target" = auto ]; then def=""; else def="-DFUZZ_FORMAT=\"$target\""; fi
	if ! $cc $flags $def -o "$dir/$name" tests/fuzz/fuzz_read.c "$dir"/lib/*.o $libs 2>"$dir/$name.build.log"; then
		echo "FAIL fuzz/$name (build: see $dir/$name.build.log)"
		status=1
		continue
	fi
	work="$dir/corpus-$name"
	mkdir -p "$work"
	seeds="tests/data/dumps"
	[ -d "tests/data/formats/$target" ] && seeds="tests/data/formats/$target $seeds"
	[ "$target" = auto ] && seeds="$(echo tests/data/formats/*/) tests/data/dumps"
	# shellcheck disable=SC2086
	if "$dir/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$dir/crash-$name-" -print_final_stats=0 "$work" $seeds \
		>"$dir/$name.log" 2>&1; then
		echo "PASS fuzz/$name ($(grep -o 'cov: [0-9]*' "$dir/$name.log" | tail -1))"
	else
		echo "FAIL fuzz/$name (see $dir/$name.log)"
		tail -20 "$dir/$name.log" >&2
		status=1
	fi
done
exit $status
