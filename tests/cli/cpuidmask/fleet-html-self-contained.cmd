# the report names no network resource and holds every group; compare its data with --json
cpuidmask fleet --html "$CM_TMP/r.html" --json tests/data/dumps > "$CM_TMP/j" 2>/dev/null; echo "exit $?"
grep -c 'src=\|href="http\|url(' "$CM_TMP/r.html"
grep -o '"id":[0-9]*,"hosts":[0-9]*,"vendor":"[a-z]*"' "$CM_TMP/r.html" | wc -l
grep -c '"signature": ' "$CM_TMP/j"
