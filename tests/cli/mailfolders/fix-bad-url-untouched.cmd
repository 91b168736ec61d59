# a --server URL that cannot be used stops fix before the database is opened for writing:
# exit 2, the files keep their bytes and no backup is made
sh tests/data/mailfolders/mkdb.sh "$CM_TMP" && cd "$CM_TMP" && cksum mail.db mail.db-wal >sum &&
{ mailfolders fix mail.db -a 1 --server "imaps://jane@exa mple.org"; echo "exit $?"; } &&
cksum mail.db mail.db-wal | cmp - sum && ls
