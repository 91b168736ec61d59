#!/bin/sh
# Install what a fresh Debian 12 machine lacks to build and test cpuidmask. Idempotent: only
# missing packages are installed. As root it runs apt-get; otherwise it prints the line to
# run. -q: say nothing when nothing is missing. Why each package is needed: README.md, "Dependencies".
set -u
pkgs="gcc make pkg-config libc6-dev libxml2-dev libcmocka-dev clang libclang-rt-14-dev
      libvirt-clients qemu-system-x86 chromium
      libsqlite3-dev sqlite3 libcurl4-openssl-dev dovecot-imapd"
missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	[ "${1:-}" = "-q" ] || echo "install-deps: everything is installed"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing:$missing"
	echo "install-deps: run as root:"
	echo "  apt-get install -y --no-install-recommends$missing"
	exit 1
fi
echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $missing || {
	apt-get update && apt-get install -y --no-install-recommends $missing
}
