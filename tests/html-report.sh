#!/bin/sh
# The fleet HTML report renders in a real browser (Debian's chromium, headless): the page
# shows the counts cpuidmask fleet --json gives, one row per group, a table per vendor; its
# script honours a view given in the URL fragment and marks unknown cells; 10,000 hosts
# render with groups collapsed. Leaves a screenshot in BUILD/fleet-report.png. One PASS/FAIL
# line per check.
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
status=0
if [ "$shown" = "$hosts $groups" ] && [ "$rows" -eq "$groups" ] && [ "$tables" -eq "$vendors" ] &&
	[ -s "$build/fleet-report.png" ] && ! grep -q 'http' "$out/report.html"; then
	echo "PASS html/report ($hosts hosts, $groups groups, $vendors vendors rendered)"
else
	echo "FAIL html/report: page shows '$shown' with $rows rows and $tables tables; JSON says $hosts hosts, $groups groups, $vendors vendors"
	status=1
fi

# The script works: a vSphere host (no leaf 7) and three complete ones, opened with a view in
# the URL fragment (filter avx2, sort by avx2, the vSphere group's hosts listed). The only
# column is avx2; the two groups that have it come first; the vSphere group's cell is
# unknown ("?"), not empty; its hosts are listed.
"$bin" fleet --html "$out/partial.html" tests/data/formats/vsphere/govc-host-info-json.txt \
	tests/data/dumps/core-i7-3770.dump tests/data/dumps/xeon-w7-3465x.dump \
	tests/data/formats/instlat/tigerlake-i5-1135g7-aida64-6.25.txt >/dev/null 2>&1
# shellcheck disable=SC2086
timeout 120 chromium $flags --user-data-dir="$out/p3" --dump-dom \
	"file://$out/partial.html#filter=avx2&sort=avx2&open=0" >"$out/partial-dom.html" 2>/dev/null
cols=$(grep -o '<th class="f[^"]*"[^>]*>[^<]*' "$out/partial-dom.html" | sed 's/.*>//' | tr '\n' ' ')
cells=$(grep -o '<tr class="[^"]*" data-group="[0-9]*"><td class="count">[0-9]*</td><td>[^<]*</td><td[^>]*>' \
	"$out/partial-dom.html" | sed 's/^<tr class="\([^"]*\)" data-group="\([0-9]*\)">.*<td\([^>]*\)>$/\2:\1:\3/' |
	tr '\n' ' ')
open=$(grep -o 'class="hosts"><td[^>]*>[^<]*' "$out/partial-dom.html" | sed 's/.*>//')
want_cells='2:g: class="y" 3:g: class="y" 0:g limit: title="unknown" class="u" 1:g limit: '
if [ "$cols" = "avx2 " ] && [ "$cells" = "$want_cells" ] &&
	[ "$open" = "tests/data/formats/vsphere/govc-host-info-json.txt (host vector 1)" ] &&
	grep -q 'more unknown on some hosts' "$out/partial-dom.html"; then
	echo "PASS html/view-in-url (filter, sort, open group, unknown cells)"
else
	echo "FAIL html/view-in-url: columns '$cols', rows '$cells', open '$open'"
	status=1
fi

# 10,000 generated hosts in 1,000 varied models: the page renders with groups collapsed (no
# host list open; one row per group, at most 300 per vendor's table and a link for the
# rest) within a minute.
"$build/gen_hosts" -n 10000 -s 7 -k 1000 -f cpuidmask "$out/big" tests/data/dumps/*.dump
"$bin" fleet --html "$out/big.html" --json "$out/big" >"$out/big.json" 2>/dev/null
start=$(date +%s)
# shellcheck disable=SC2086
timeout 120 chromium $flags --user-data-dir="$out/p4" --dump-dom "file://$out/big.html" \
	>"$out/big-dom.html" 2>/dev/null
took=$(($(date +%s) - start))
big_shown=$(sed -n 's/.*id="summary" data-hosts="\([0-9]*\)" data-groups="\([0-9]*\)".*/\1 \2/p' "$out/big-dom.html")
big_groups=$(grep -c '"signature": ' "$out/big.json")
big_rows=$(grep -o '<tr class="g[ "]' "$out/big-dom.html" | wc -l)
big_open=$(grep -c 'class="hosts"' "$out/big-dom.html")
more=$(grep -c 'class="more"' "$out/big-dom.html")
# every group drawn when there are at most 300 (the generator gives a few dozen), else the
# capped tables (two vendors: at most 600 rows) and a "show more" link
if [ "$big_groups" -le 300 ]; then
	rows_ok=$([ "$big_rows" -eq "$big_groups" ] && echo yes)
else
	rows_ok=$([ "$big_rows" -le 600 ] && [ "$more" -ge 1 ] && echo yes)
fi
if [ "$big_shown" = "10000 $big_groups" ] && [ "$rows_ok" = yes ] && [ "$big_open" -eq 0 ] &&
	[ "$took" -le 60 ]; then
	echo "PASS html/10000-hosts ($big_groups groups, $big_rows rows drawn, ${took}s)"
else
	echo "FAIL html/10000-hosts: shows '$big_shown' ($big_groups groups), $big_rows rows, $big_open open, ${took}s"
	status=1
fi
exit $status
