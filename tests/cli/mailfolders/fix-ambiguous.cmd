# INBOX.Sent and INBOX.Sent Items both exist: the candidates, exit 1, nothing changed
printf "%s\n" "INSERT INTO mailboxs (_id, _undecodename, _decodename, _shortname, _account) VALUES (31, 'INBOX.Sent Items', 'INBOX.Sent Items', 'INBOX.Sent Items', 1);" >"$CM_TMP/extra.sql" &&
sh tests/data/mailfolders/mkdb.sh "$CM_TMP" "$CM_TMP/extra.sql" && cd "$CM_TMP" && cksum mail.db mail.db-wal >sum
mailfolders fix mail.db --account 1; echo "exit $?"; cksum mail.db mail.db-wal | cmp - sum && ls
