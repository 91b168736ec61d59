#!/bin/sh
# Crash safety of `cpuidmask apply`: with a write, fsync, link or rename failing, or the process
# killed around one, the .vmx holds its old bytes or its new ones, never a mix; and an edit
# made by someone else while apply works makes it refuse. Needs CM_TMP and CM_LIBFAULT
# (tests/run-cli.sh sets both). One line per case.
set -u
src=tests/data/vmx/crlf-no-final-newline.vmx
hosts="tests/data/dumps/atom-c2750.dump tests/data/dumps/core-i7-3770.dump"
w=$CM_TMP
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
cp "$src" "$w/vm.vmx"
# shellcheck disable=SC2086
cpuidmask apply "$w/vm.vmx" --baseline $hosts >/dev/null || exit 1
cp "$w/vm.vmx" "$w/expected-new"
# calls, in order: the backup's write 1, fsync 1, link 1, fsync 2 (its directory); then
# the .vmx's write 2, fsync 3, rename 1, fsync 4 (its directory)
for fault in write:1:fail fsync:1:fail link:1:fail write:2:fail fsync:3:fail rename:1:fail \
	fsync:4:fail write:1:kill write:2:kill fsync:3:kill rename:1:kill rename:1:kill-after \
	fsync:4:kill link:1:modify; do
	rm -rf "$w/run" && mkdir "$w/run"
	cp "$src" "$w/run/vm.vmx"
	# shellcheck disable=SC2086
	CM_FAULT=$fault CM_FAULT_FILE="$w/run/vm.vmx" LD_PRELOAD="$CM_LIBFAULT" \
		cpuidmask apply "$w/run/vm.vmx" --baseline $hosts >/dev/null 2>"$w/err"
	rc=$?
	if cmp -s "$w/run/vm.vmx" "$src"; then
		state=old
	elif cmp -s "$w/run/vm.vmx" "$w/expected-new"; then
		state=new
	elif [ "$fault" = link:1:modify ] && head -c "$(wc -c <"$src")" "$w/run/vm.vmx" | cmp -s - "$src"; then
		state="as the other editor left it"
	else
		state=MIXED
	fi
	temps=$(find "$w/run" -name '*.tmp*' | wc -l)
	said=
	[ $rc -ne 137 ] && said=$(sed "s|$w/||g; s/^cpuidmask: //; s/^[^ ]*: //" "$w/err" | head -1)
	echo "$fault: exit $rc, file $state, $temps temporary file(s) left${said:+, said: $said}"
done
