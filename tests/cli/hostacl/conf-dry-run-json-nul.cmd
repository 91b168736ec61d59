# a NUL byte in a comment: the changed line is shown whole in JSON (as \u0000), not cut
printf 'allowed_hosts = 192.168.1.0/24 # a\000b\n' >"$CM_TMP/nul.conf" && cd "$CM_TMP" &&
hostacl conf --dry-run --json nul.conf
