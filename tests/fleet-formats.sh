#!/bin/sh
# The same generated fleet written in every format gives the same fleet analysis: 300 hosts
# varied from the real dumps (bench/gen_hosts.c, seed 7) as cpuidmask dumps, cpuid -r files,
# vmware.logs, libvirt <cpudata>, InstLatx64 dumps and a vSphere listing. The complete formats
# must agree to the byte (host names aside); vSphere vectors hold a few leaves only, so there
# every host must be read without error. One PASS/FAIL line per format.
set -u
build=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
strip() {
	grep -v '"example": \|"files": ' "$1"
}
status=0
for fmt in cpuidmask cpuid-r vmware-log libvirt instlat vsphere; do
	if ! "$build/gen_hosts" -n 300 -s 7 -k 40 -f "$fmt" "$tmp/$fmt" tests/data/dumps/*.dump ||
		! "$build/cpuidmask" fleet --json "$tmp/$fmt" >"$tmp/$fmt.json" 2>"$tmp/$fmt.err"; then
		echo "FAIL fleet-formats/$fmt (generating or reading failed: $(head -3 "$tmp/$fmt.err"))"
		status=1
		continue
	fi
	hosts=$(sed -n 's/^  "hosts": \([0-9]*\),$/\1/p' "$tmp/$fmt.json")
	if [ "$hosts" != 300 ] || [ -s "$tmp/$fmt.err" ]; then
		echo "FAIL fleet-formats/$fmt ($hosts hosts read of 300)"
		status=1
	elif [ "$fmt" = vsphere ]; then
		echo "PASS fleet-formats/$fmt (300 hosts)"
	elif strip "$tmp/$fmt.json" >"$tmp/$fmt.stripped" &&
		strip "$tmp/cpuidmask.json" | cmp -s - "$tmp/$fmt.stripped"; then
		echo "PASS fleet-formats/$fmt (300 hosts, same analysis as the cpuidmask dumps)"
	else
		echo "FAIL fleet-formats/$fmt (its analysis differs from the cpuidmask dumps')"
		strip "$tmp/cpuidmask.json" | diff - "$tmp/$fmt.stripped" | head -20 >&2
		status=1
	fi
done
exit $status
