# the first 8 KiB of a database of 32 KiB
sh tests/data/mailfolders/mkdb.sh "$CM_TMP/full" && sqlite3 "$CM_TMP/full/mail.db" "pragma wal_checkpoint(truncate)" >/dev/null &&
cd "$CM_TMP" && head -c 8192 full/mail.db >mail.db && cksum mail.db >sum &&
mailfolders fix mail.db --account 1; echo "exit $?"; cksum mail.db | cmp - sum && ls
