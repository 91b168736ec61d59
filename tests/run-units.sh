#!/bin/sh
# Run every cmocka unit test binary of BUILD (default build) from the repository root and
# print one line per test case: "PASS unit/<suite>/<case>" or "FAIL ...". A binary that
# dies without reporting counts as one FAIL.
build=${1:-build}
label=${2:-unit}
status=0
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	suite=$(basename "$t")
	out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | awk -v s="$label/$suite" '
		/^ok [0-9]+ - / { sub(/^ok [0-9]+ - /, ""); print "PASS " s "/" $0; n++ }
		/^not ok [0-9]+ - / { sub(/^not ok [0-9]+ - /, ""); print "FAIL " s "/" $0; n++ }
		END { if (n == 0) print "FAIL " s " (no test output)" }'
	if [ $rc -ne 0 ]; then
		status=1
		printf '%s\n' "$out" | grep -v '^ok ' | sed 's/^/  | /' >&2
	fi
done
exit $status
