#!/bin/sh
# scripts/install-deps.sh as a user who is not root, on a machine where some packages are
# missing: dpkg-query and id are replaced by stand-ins on PATH, so nothing is installed and
# the real package database is not read. Checks the exact output and exit status of each
# mode. Prints one PASS/FAIL line per check.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
# a dpkg-query that says "installed" for every package but those in $MISSING
cat >"$tmp/bin/dpkg-query" <<'STUB'
#!/bin/sh
for p; do :; done
for m in $MISSING; do
	[ "$m" = "$p" ] && exit 1
done
printf 'install ok installed'
STUB
printf '#!/bin/sh\necho 1000\n' >"$tmp/bin/id"
chmod +x "$tmp/bin/dpkg-query" "$tmp/bin/id"

# case LABEL MISSING WANT_STATUS ARGS... ; the expected output is on stdin
case_() {
	label=$1 missing=$2 want=$3
	shift 3
	cat >"$tmp/want"
	MISSING=$missing PATH="$tmp/bin:$PATH" sh scripts/install-deps.sh "$@" >"$tmp/out" 2>&1
	rc=$?
	if [ $rc -eq "$want" ] && cmp -s "$tmp/want" "$tmp/out"; then
		echo "PASS install-deps/$label"
	else
		echo "FAIL install-deps/$label (exit $rc, want $want; $(diff "$tmp/want" "$tmp/out" | head -4 | tr '\n' ' '))"
	fi
}

case_ nothing-missing "" 0 <<'OUT'
install-deps: everything is installed
OUT
case_ nothing-missing-quiet "" 0 -q build </dev/null
# a test-only package missing does not stop a build
case_ build-ignores-test-packages "chromium dovecot-imapd" 0 -q build </dev/null
case_ check-needs-test-packages "chromium dovecot-imapd" 1 -q <<'OUT'
install-deps: missing: chromium dovecot-imapd
install-deps: run as root:
  apt-get install -y --no-install-recommends chromium dovecot-imapd
OUT
case_ build-needs-build-packages "libsqlite3-dev chromium" 1 -q build <<'OUT'
install-deps: missing: libsqlite3-dev
install-deps: run as root:
  apt-get install -y --no-install-recommends libsqlite3-dev
OUT
case_ bad-mode "" 2 everything <<'OUT'
usage: install-deps.sh [-q] [build|all]
OUT
