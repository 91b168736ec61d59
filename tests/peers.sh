#!/bin/sh
# The peers' own parsers accept what `cpuidmask baseline` writes for them:
#   QEMU     qemu-system-x86_64 (TCG, paused, no guest) starts with our -cpu string;
#   libvirt  virt-xml-validate accepts a domain holding our <cpu>, and every model and
#            feature name is in libvirt's own CPU map (/usr/share/libvirt/cpu_map).
# Xen's xl cannot parse a configuration without a running hypervisor, so Xen output is
# checked by reading it back (tests/unit/test_baseline.c). Proxmox output is not checked by
# a peer parser: the code that reads `cpu:` lines and cpu-models.conf (Proxmox's qemu-server)
# is not packaged by Debian and needs a Proxmox VE host; only its golden tests
# (tests/cli/cpuidmask/*proxmox*) cover it. Its model and flag names are the QEMU plan's,
# which the QEMU case below starts for the same hosts. One PASS/FAIL line per case;
# a missing tool is a FAIL naming the package (scripts/install-deps.sh installs them).
set -u
BIN=${1:-build}/cpuidmask
D=tests/data/dumps
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
map=/usr/share/libvirt/cpu_map
sets="seed:$D/atom-c2750.dump $D/core-i7-3770.dump
intel4:$D/core-i5-2500.dump $D/core-i7-3770.dump $D/core-i7-4510u.dump $D/xeon-e5-2650-v4.dump
skylake:$D/xeon-gold-6148.dump $D/xeon-platinum-8268.dump
zen:$D/epyc-7601-32-core.dump $D/epyc-7502-32-core.dump $D/epyc-7713-64-core.dump
genoa:$D/epyc-9334-32-core.dump $D/ryzen-9-9950x-16-core.dump"
echo "$sets" | while IFS=: read -r name hosts; do
	# QEMU; without enforce, as TCG lacks many host features (it only warns then)
	if ! command -v qemu-system-x86_64 >/dev/null; then
		echo "FAIL peers/qemu/$name (qemu-system-x86_64 missing: apt-get install qemu-system-x86)"
	else
		# shellcheck disable=SC2086
		cpu=$("$BIN" baseline -t qemu $hosts 2>/dev/null | sed 's/^-cpu //; s/,enforce$//')
		if echo quit | timeout 30 qemu-system-x86_64 -machine pc -accel tcg -nodefaults \
			-display none -S -cpu "$cpu" -monitor stdio >"$tmp/q.out" 2>&1 &&
			! grep -q "can't apply\|not found\|Invalid\|unable" "$tmp/q.out"; then
			echo "PASS peers/qemu/$name (-cpu ${cpu%%,*})"
		else
			echo "FAIL peers/qemu/$name: -cpu $cpu"
			sed 's/^/  | /' "$tmp/q.out" >&2
		fi
	fi
	if ! command -v virt-xml-validate >/dev/null || [ ! -d "$map" ]; then
		echo "FAIL peers/libvirt/$name (virt-xml-validate or $map missing: apt-get install libvirt-clients)"
		continue
	fi
	# shellcheck disable=SC2086
	"$BIN" baseline -t libvirt --cpu-map "$map" $hosts >"$tmp/cpu.xml" 2>/dev/null
	printf '<domain type="kvm"><name>t</name><memory>1048576</memory><os><type arch="x86_64">hvm</type></os>%s</domain>\n' \
		"$(cat "$tmp/cpu.xml")" >"$tmp/dom.xml"
	bad=""
	model=$(sed -n "s/.*<model fallback='forbid'>\(.*\)<\/model>.*/\1/p" "$tmp/cpu.xml")
	[ -f "$map/x86_$model.xml" ] || bad="$bad model:$model"
	for f in $(sed -n "s/.*<feature policy='[a-z]*' name='\([^']*\)'.*/\1/p" "$tmp/cpu.xml"); do
		grep -q "<feature name='$f'>" "$map/x86_features.xml" || bad="$bad feature:$f"
	done
	if virt-xml-validate "$tmp/dom.xml" domain >"$tmp/v.out" 2>&1 && [ -z "$bad" ]; then
		echo "PASS peers/libvirt/$name ($model)"
	else
		echo "FAIL peers/libvirt/$name:$bad"
		sed 's/^/  | /' "$tmp/v.out" >&2
	fi
done
