#!/bin/sh
# make check: build with the default compiler and run the unit and CLI tests; rebuild with
# clang + AddressSanitizer + UndefinedBehaviorSanitizer and run them all again; then a short
# bounded run of every fuzz target. Each tests/check.d/*.sh (the other tools' harnesses) runs
# with both builds as `sh SCRIPT BUILD SUFFIX` and prints PASS/FAIL lines whose labels end in
# SUFFIX. Ends with "N passed, N failed"; exit 1 on any failure.
set -u
cd "$(dirname "$0")/.." || exit 2
results=build/test-results.txt
mkdir -p build
: >"$results"
fuzz_seconds=${FUZZ_SECONDS:-10}
san_cc=${SAN_CC:-clang}
command -v "$san_cc" >/dev/null 2>&1 || san_cc=${CC:-cc}

step() {
	echo "== $*" >&2
}
record() {
	tee -a "$results"
}

step "build (${CC:-cc})"
if make -s check-build >build/check-build.log 2>&1; then
	echo "PASS build/${CC:-cc}" | record
	step "unit tests"
	sh tests/run-units.sh build unit | record
	step "CLI golden tests"
	sh tests/run-cli.sh build cli | record
	for t in tests/check.d/*.sh; do
		[ -e "$t" ] || continue
		step "$(basename "$t" .sh)"
		sh "$t" build "" | record
	done
	step "one generated fleet in every format, one answer"
	sh tests/fleet-formats.sh build | record
	step "fleet HTML report in headless Chromium"
	sh tests/html-report.sh build | record
	step "make install into a scratch DESTDIR, and a program built against it"
	sh tests/install-test.sh | record
	step "install-deps.sh for a user who is not root"
	sh tests/install-deps.sh | record
else
	cat build/check-build.log >&2
	echo "FAIL build/${CC:-cc}" | record
fi

step "build with $san_cc, ASan + UBSan"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if make -s check-build BUILD=build/asan SAN=1 CC="$san_cc" >build/check-build-asan.log 2>&1; then
	echo "PASS build/$san_cc-asan-ubsan" | record
	step "unit tests under ASan + UBSan"
	sh tests/run-units.sh build/asan unit-asan | record
	step "CLI golden tests under ASan + UBSan"
	sh tests/run-cli.sh build/asan cli-asan | record
	for t in tests/check.d/*.sh; do
		[ -e "$t" ] || continue
		step "$(basename "$t" .sh) under ASan + UBSan"
		sh "$t" build/asan -asan | record
	done
else
	cat build/check-build-asan.log >&2
	echo "FAIL build/$san_cc-asan-ubsan" | record
fi

step "peer tools accept the configurations baseline writes"
sh tests/peers.sh build | record

step "fuzz targets, ${fuzz_seconds}s each"
sh tests/fuzz/run.sh build/fuzz "$fuzz_seconds" | record

passed=$(grep -c '^PASS' "$results")
failed=$(grep -c '^FAIL' "$results")
if [ "$failed" -gt 0 ]; then
	echo "failed:"
	grep '^FAIL' "$results" | sed 's/^FAIL /  /'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
