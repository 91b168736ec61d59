#!/bin/sh
# hostacl's checks beyond the unit and golden tests, run by tests/check.sh as
#   sh tests/check.d/hostacl.sh BUILD SUFFIX
# once for the normal build and once for the ASan+UBSan one. One line per check:
# "PASS hostacl/<name>SUFFIX" or "FAIL ...", with the reason after a FAIL.
#
# - conf --fix survives failures: with a write, fsync or rename failing, or the process
#   killed around one (tests/fault/inject.c, preloaded), apt-cacher.conf holds its old
#   bytes or its new ones, never a mix, and the backup is the old file; an edit made by
#   someone else meanwhile makes it refuse.
# - conf --fix changes the access lines and no other byte, and a second run nothing, for
#   every sample config and both styles.
# - the million-address property test (tests/unit/hostacl/test_property.c) with a
#   second seed.
set -u
build=${1:-build}
suffix=${2:-}
hostacl=$build/hostacl
libfault=$build/tests/libfault.so
data=tests/data/hostacl/conf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
status=0

pass() {
	echo "PASS hostacl/$1$suffix"
}
fail() {
	echo "FAIL hostacl/$1$suffix ($2)"
	status=1
}

for f in "$hostacl" "$libfault"; do
	if [ ! -x "$f" ] && [ ! -f "$f" ]; then
		fail setup "no $f: build with 'make BUILD=$build check-build'"
		exit 1
	fi
done

# ---- crash safety of conf --fix

src=$data/crlf.conf	# CRLF line ends, no final newline: the bytes most easily lost
cp "$src" "$work/expected-new"
"$hostacl" conf --fix "$work/expected-new" >/dev/null 2>&1
if cmp -s "$src" "$work/expected-new"; then
	fail fix-setup "--fix did not change $src"
fi

# calls, in order (src/common/file.c, file_edit): the backup's write 1, fsync 1, link 1,
# fsync 2 (its directory); then the config's write 2, fsync 3, rename 1, fsync 4.
# fault, expected exit status, expected state of the file, temporary files expected left
faults="write:1:fail 2 old 0
fsync:1:fail 2 old 0
link:1:fail 2 old 0
write:2:fail 2 old 0
fsync:3:fail 2 old 0
rename:1:fail 2 old 0
fsync:4:fail 0 new 0
write:1:kill 137 old 1
write:2:kill 137 old 1
fsync:3:kill 137 old 1
rename:1:kill 137 old 1
rename:1:kill-after 137 new 0
fsync:4:kill 137 new 0
link:1:modify 2 edited 0"
echo "$faults" | while read -r fault want_rc want_state want_temps; do
	run=$work/run
	rm -rf "$run" && mkdir "$run"
	cp "$src" "$run/apt-cacher.conf"
	CM_FAULT=$fault CM_FAULT_FILE="$run/apt-cacher.conf" LD_PRELOAD="$libfault" \
		"$hostacl" conf --fix "$run/apt-cacher.conf" >"$work/out" 2>"$work/err"
	rc=$?
	if cmp -s "$run/apt-cacher.conf" "$src"; then
		state=old
	elif cmp -s "$run/apt-cacher.conf" "$work/expected-new"; then
		state=new
	elif head -c "$(wc -c <"$src")" "$run/apt-cacher.conf" | cmp -s - "$src"; then
		state=edited	# the old bytes and the other editor's line, nothing of ours
	else
		state=MIXED
	fi
	temps=$(find "$run" -name '*.tmp*' | wc -l)
	backup_ok=yes
	if [ "$state" = new ] && ! cmp -s "$run/apt-cacher.conf.hostacl.bak" "$src"; then
		backup_ok=no
	fi
	said=$(head -1 "$work/err" | sed "s|$run/||g")
	if [ "$rc" = "$want_rc" ] && [ "$state" = "$want_state" ] && [ "$temps" -eq "$want_temps" ] &&
		[ "$backup_ok" = yes ]; then
		pass "fix-fault-$fault"
	else
		fail "fix-fault-$fault" "exit $rc, file $state, $temps temporary file(s), backup $backup_ok; said: $said"
	fi
done >"$work/faults"	# (a subshell: its status is read back from its lines)
cat "$work/faults"
grep -q '^FAIL' "$work/faults" && status=1

# ---- only the access lines change, and only once

# Lines of $2 that differ from those of $1 must be access lines (or their continuations).
only_access_lines() {
	awk -v a="$1" -v b="$2" '
		function access(l) { return l ~ /^[ \t]*(allowed|denied)_hosts(_6)?[ \t]*=/ }
		BEGIN {
			while ((getline x < a) > 0) { na++; A[na] = x }
			while ((getline y < b) > 0) { nb++; B[nb] = y }
			if (na != nb) { print "line count " na " -> " nb; exit 1 }
			cont = 0
			for (i = 1; i <= na; i++) {
				mine = access(A[i]) || cont
				cont = mine && A[i] ~ /\\\r?$/
				if (A[i] != B[i] && !mine) { print "line " i " changed"; exit 1 }
			}
		}'
}

for conf in "$data"/*.conf; do
	name=$(basename "$conf" .conf)
	for style in add replace; do
		opt=
		[ $style = replace ] && opt=--replace
		cp "$conf" "$work/c.conf"
		# shellcheck disable=SC2086
		"$hostacl" conf --fix $opt "$work/c.conf" >/dev/null 2>"$work/err"
		rc=$?
		case $name in
		bad | bad-*)	# malformed entries: every one listed, nothing written
			nerr=$(grep -c "^$work/c.conf:[0-9]*:[0-9]*: " "$work/err")
			want=$("$hostacl" conf --json "$conf" 2>/dev/null | sed -n '/^  "errors": \[/,/^  \]/p' |
				grep -c '"message"')
			if [ $rc -eq 2 ] && cmp -s "$conf" "$work/c.conf" && [ ! -e "$work/c.conf.hostacl.bak" ] &&
				[ "$nerr" -ge 1 ] && [ "$nerr" = "$want" ]; then
				pass "fix-refuses-$name-$style"
			else
				fail "fix-refuses-$name-$style" "exit $rc, $nerr errors listed (want $want)"
			fi
			continue
			;;
		esac
		why=$(only_access_lines "$conf" "$work/c.conf")
		if [ $rc -le 1 ] && [ -z "$why" ]; then
			pass "fix-$name-$style-only-access-lines"
		else
			fail "fix-$name-$style-only-access-lines" "exit $rc: $why $(cat "$work/err")"
		fi
		cp "$work/c.conf" "$work/once"
		# shellcheck disable=SC2086
		out=$("$hostacl" conf --fix $opt "$work/c.conf" 2>&1 | tail -1)
		if cmp -s "$work/once" "$work/c.conf" && [ "$out" = "$work/c.conf: nothing to fix" ]; then
			pass "fix-$name-$style-twice"
		else
			fail "fix-$name-$style-twice" "second run: $out"
		fi
		rm -f "$work/c.conf.hostacl.bak"
	done
done

# ---- the property test again, with another seed: another million addresses

prop=$build/tests/test_hostacl_property
if out=$(HOSTACL_SEED=20121012 "$prop" 2>&1); then
	pass property-seed-20121012
else
	fail property-seed-20121012 "$(echo "$out" | grep -m1 'seed')"
fi

exit $status
