#!/bin/sh
# Golden tests of the command-line tools. Each case is tests/cli/<tool>/<name>.cmd, a shell
# command run from the repository root with the tools of BUILD first on PATH; its expected
# standard output, standard error and exit status are <name>.out, <name>.err, <name>.status.
#   tests/run-cli.sh [BUILD] [LABEL]      run them; one PASS/FAIL line per case
#   CM_REGEN=1 tests/run-cli.sh           rewrite the expectations (review the diff!)
#   CLI_ONLY=hostacl tests/run-cli.sh     only the cases of one tool (with CM_REGEN too)
build=${1:-build}
label=${2:-cli}
bin=$(cd "$build" && pwd)
status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for cmd in tests/cli/${CLI_ONLY:-*}/*.cmd; do
	[ -e "$cmd" ] || continue
	case_=${cmd%.cmd}
	name=${case_#tests/cli/}
	rm -rf "$tmp/case" && mkdir "$tmp/case"
	PATH="$bin:$PATH" LC_ALL=C CM_TMP="$tmp/case" CM_LIBFAULT="$bin/tests/libfault.so" sh -c "$(cat "$cmd")" >"$tmp/out" 2>"$tmp/err" </dev/null
	echo $? >"$tmp/status"
	if [ -n "${CM_REGEN:-}" ]; then
		cp "$tmp/out" "$case_.out"
		cp "$tmp/err" "$case_.err"
		cp "$tmp/status" "$case_.status"
	fi
	ok=1
	for part in out err status; do
		if ! cmp -s "$tmp/$part" "$case_.$part"; then
			ok=0
			echo "--- $name: $part differs" >&2
			diff -u "$case_.$part" "$tmp/$part" | head -40 >&2
		fi
	done
	if [ $ok = 1 ]; then
		echo "PASS $label/$name"
	else
		echo "FAIL $label/$name"
		status=1
	fi
done
exit $status
