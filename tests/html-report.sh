#!/bin/sh
# The fleet HTML report renders in a real browser (Debian's chromium, headless): the page
# shows the counts cpuidmask fleet --json gives, one row per group, a table per vendor.
# Leaves a screenshot in BUILD/fleet-report.png. One PASS/FAIL line.
set -u
build=${1:-build}
bin=$build/cpuidmask
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if ! command -v chromium >/dev/null; then
	echo "FAIL html/report (chromium missing: apt-get install chromium)"
	exit 1
fi
"$bin" fleet --html "$out/report.html" --json tests/data/dumps tests/data/formats/cpuid-r \
	>"$out/fleet.json" 2>/dev/null
hosts=$(sed -n 's/^  "hosts": \([0-9]*\),$/\1/p' "$out/fleet.json")
groups=$(grep -c '"signature": ' "$out/fleet.json")
vendors=$(grep -c '"vendor": ' "$out/fleet.json")
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
	--disable-background-networking --disable-component-update --disable-sync"
# shellcheck disable=SC2086
timeout 120 chromium $flags --user-data-dir="$out/p1" --dump-dom "file://$out/report.html" \
	>"$out/dom.html" 2>/dev/null
# shellcheck disable=SC2086
timeout 120 chromium $flags --user-data-dir="$out/p2" --window-size=1400,900 \
	--screenshot="$build/fleet-report.png" "file://$out/report.html" >/dev/null 2>&1
shown=$(sed -n 's/.*id="summary" data-hosts="\([0-9]*\)" data-groups="\([0-9]*\)".*/\1 \2/p' "$out/dom.html")
rows=$(grep -o '<tr class="g[ "]' "$out/dom.html" | wc -l)
tables=$(grep -o 'class="vendor" data-vendor=' "$out/dom.html" | wc -l)
if [ "$shown" = "$hosts $groups" ] && [ "$rows" -eq "$groups" ] && [ "$tables" -eq "$vendors" ] &&
	[ -s "$build/fleet-report.png" ] && ! grep -q 'http' "$out/report.html"; then
	echo "PASS html/report ($hosts hosts, $groups groups, $vendors vendors rendered)"
else
	echo "FAIL html/report: page shows '$shown' with $rows rows and $tables tables; JSON says $hosts hosts, $groups groups, $vendors vendors"
	exit 1
fi
