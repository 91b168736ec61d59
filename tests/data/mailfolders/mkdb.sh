#!/bin/sh
# mkdb.sh OUT_DIR [EXTRA.sql]... - build the test database as a phone would hand it over:
# mail.sql (plus any EXTRA files) run by the sqlite3 shell with the WAL never checkpointed,
# and mail.db, mail.db-wal and mail.db-shm copied into OUT_DIR while the shell still has the
# database open, the way "adb pull" copies the files of a database the mail app is using.
set -eu
out=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
	cat "$here/mail.sql"
	for f in "$@"; do cat "$f"; done
	printf '.shell cp mail.db mail.db-wal mail.db-shm "%s/"\n' "$out"
} | (cd "$work" && sqlite3 -batch -bail mail.db >/dev/null)
