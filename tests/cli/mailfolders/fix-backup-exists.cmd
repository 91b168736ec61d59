# --backup naming a file that exists: refused before anything is written, the WAL too
sh tests/data/mailfolders/mkdb.sh "$CM_TMP" && cd "$CM_TMP" && echo keep >old.bak &&
cksum mail.db mail.db-wal >sum && mailfolders fix mail.db --account 1 --backup old.bak >/dev/null
echo "exit $?"; cksum mail.db mail.db-wal | cmp - sum && cat old.bak && ls
