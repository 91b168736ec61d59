cpuidmask features --markdown > "$CM_TMP/features.md" && sed -n '/^| name |/,$p' docs/features.md | cmp - "$CM_TMP/features.md" && echo "docs/features.md matches the table"
