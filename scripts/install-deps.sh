#!/bin/sh
# Install what a fresh Debian 12 machine lacks to build and test cpuidmask, hostacl and
# mailfolders. Idempotent: only missing packages are installed. As root it runs apt-get;
# otherwise it prints the line to run. Why each package is needed: README.md, "Dependencies".
#
#   sh scripts/install-deps.sh [-q] [build|all]
#
# build: only what `make` needs to build the programs and libraries (make, make demo);
# all (the default): also what `make check` needs (test framework, sanitizer runtime, the
# peers, Chromium, Dovecot). -q: say nothing when nothing is missing.
# Exit status: 0 when everything asked for is installed, 1 when something is missing and
# this is not root (the apt-get line is printed), else apt-get's.
set -u
quiet=false
if [ "${1:-}" = "-q" ]; then
	quiet=true
	shift
fi
build_pkgs="gcc make pkg-config libc6-dev libxml2-dev libsqlite3-dev libcurl4-openssl-dev"
test_pkgs="libcmocka-dev clang libclang-rt-14-dev libvirt-clients qemu-system-x86 chromium
      sqlite3 dovecot-imapd openssl"
case ${1:-all} in
build) pkgs=$build_pkgs ;;
all) pkgs="$build_pkgs $test_pkgs" ;;
*)
	echo "usage: install-deps.sh [-q] [build|all]" >&2
	exit 2
	;;
esac
missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	$quiet || echo "install-deps: everything is installed"
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
