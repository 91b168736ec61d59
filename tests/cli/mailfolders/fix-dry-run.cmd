# the SQL is printed, nothing is written (the files keep their bytes)
sh tests/data/mailfolders/mkdb.sh "$CM_TMP" && cd "$CM_TMP" && cksum mail.db mail.db-wal >sum &&
mailfolders fix mail.db --account 1 --dry-run && cksum mail.db mail.db-wal | cmp - sum && ls
