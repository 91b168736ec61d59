#!/bin/sh
# Build the libFuzzer targets (clang, with ASan+UBSan) into DIR and run each for SECONDS
# from its seed corpus (tests/data/formats/<format>/ and tests/data/dumps/). Prints one
# PASS/FAIL line per target. A crash leaves its input in DIR/crash-<target>-*.
# FUZZ_ONLY='fuzz_acl*' runs only the targets whose names match the pattern.
dir=${1:-build/fuzz}
seconds=${2:-5}
cc=${FUZZ_CC:-clang}
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "FAIL fuzz (no $cc; run 'make deps')"
	exit 1
fi
mkdir -p "$dir"
common="-std=c17 -g -O1 -fno-sanitize-recover=all -D_DEFAULT_SOURCE -Iinclude $(pkg-config --cflags libxml-2.0)"
libs="-ldl -pthread"
# each tool's library once, instrumented for coverage (cpuidmask: lib/*.c, the others:
# lib/<tool>/*.c); then one small link per target
build_lib() {
	tool=$1
	shift
	mkdir -p "$dir/$tool"
	for src in "$@"; do
		[ -e "$src" ] || continue
		obj="$dir/$tool/$(basename "$src" .c).o"
		if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] || [ "$(dirname "$src")/internal.h" -nt "$obj" ] ||
			[ include/cpuidmask.h -nt "$obj" ] || [ "include/$tool.h" -nt "$obj" ]; then
			# shellcheck disable=SC2086
			$cc $common -fsanitize=fuzzer-no-link,address,undefined -c -o "$obj" "$src" || {
				echo "FAIL fuzz (library build: $src)"; exit 1; }
		fi
	done
}
build_lib cpuidmask lib/*.c
for d in lib/*/; do
	[ -d "$d" ] && build_lib "$(basename "$d")" "$d"*.c
done
flags="$common -fsanitize=fuzzer,address,undefined"
# name, tool (whose library it links), source, defines, seed folders; a tool's
# extra link flags go in tool_libs below
tool_libs() {
	case $1 in
	mailfolders) echo "-lsqlite3 -lcurl" ;;
	*) echo "" ;;
	esac
}
targets="fuzz_read_cpuidmask cpuidmask fuzz_read.c -DFUZZ_FORMAT=\"cpuidmask\" tests/data/formats/cpuidmask
fuzz_read_cpuid_r cpuidmask fuzz_read.c -DFUZZ_FORMAT=\"cpuid-r\" tests/data/formats/cpuid-r
fuzz_read_instlat cpuidmask fuzz_read.c -DFUZZ_FORMAT=\"instlat\" tests/data/formats/instlat
fuzz_read_vmware_log cpuidmask fuzz_read.c -DFUZZ_FORMAT=\"vmware-log\" tests/data/formats/vmware-log
fuzz_read_libvirt cpuidmask fuzz_read.c -DFUZZ_FORMAT=\"libvirt\" tests/data/formats/libvirt
fuzz_read_vsphere cpuidmask fuzz_read.c -DFUZZ_FORMAT=\"vsphere\" tests/data/formats/vsphere
fuzz_read_auto cpuidmask fuzz_read.c -DFUZZ_AUTO tests/data/formats/*/
fuzz_mask_vmx cpuidmask fuzz_mask.c -DFUZZ_MASK=cm_mask_read_vmx tests/data/masks
fuzz_mask_xen cpuidmask fuzz_mask.c -DFUZZ_MASK=cm_mask_read_xen tests/data/masks
fuzz_mask_auto cpuidmask fuzz_mask.c -DFUZZ_AUTO tests/data/masks
fuzz_fleet cpuidmask fuzz_fleet.c -DFUZZ_AUTO tests/data/formats/cpuidmask tests/data/formats/cpuid-r
fuzz_hostacl_list hostacl fuzz_hostacl_list.c -DFUZZ_AUTO tests/data/hostacl/lists
fuzz_hostacl_conf hostacl fuzz_hostacl_conf.c -DFUZZ_AUTO tests/data/hostacl/conf
fuzz_mailfolders_namespace mailfolders fuzz_mailfolders_imap.c -DFUZZ_NAMESPACE tests/data/mailfolders/fuzz/namespace
fuzz_mailfolders_list mailfolders fuzz_mailfolders_imap.c -DFUZZ_LIST tests/data/mailfolders/fuzz/list
fuzz_mailfolders_transcript mailfolders fuzz_mailfolders_imap.c -DFUZZ_AUTO tests/data/mailfolders/imap tests/data/mailfolders/fuzz/namespace tests/data/mailfolders/fuzz/list
fuzz_mailfolders_mutf7 mailfolders fuzz_mailfolders_mutf7.c -DFUZZ_AUTO tests/data/mailfolders/fuzz/mutf7
fuzz_mailfolders_url mailfolders fuzz_mailfolders_url.c -DFUZZ_AUTO tests/data/mailfolders/fuzz/url"
echo "$targets" | while read -r name tool src def seeds; do
	# (a subshell: results are read back from its output)
	case $name in ${FUZZ_ONLY:-*}) ;; *) continue ;; esac
	[ "$def" = "-DFUZZ_AUTO" ] && def=""
	[ "$tool" = cpuidmask ] && seeds="$seeds tests/data/dumps tests/fuzz/regressions"
	# shellcheck disable=SC2086
	if ! $cc $flags $def -o "$dir/$name" "tests/fuzz/$src" "$dir/$tool"/*.o $libs $(tool_libs "$tool") 2>"$dir/$name.build.log"; then
		echo "FAIL fuzz/$name (build: see $dir/$name.build.log)"
		continue
	fi
	work="$dir/corpus-$name"
	mkdir -p "$work"
	# shellcheck disable=SC2086
	if "$dir/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$dir/crash-$name-" -print_final_stats=0 "$work" $seeds \
		>"$dir/$name.log" 2>&1; then
		echo "PASS fuzz/$name ($(grep -o 'cov: [0-9]*' "$dir/$name.log" | tail -1))"
	else
		echo "FAIL fuzz/$name (see $dir/$name.log)"
		tail -20 "$dir/$name.log" >&2
	fi
done | tee "$dir/results"
! grep -q "^FAIL" "$dir/results"
