# the same database, the folder named: --sent wins
printf "%s\n" "INSERT INTO mailboxs (_id, _undecodename, _decodename, _shortname, _account) VALUES (31, 'INBOX.Sent Items', 'INBOX.Sent Items', 'INBOX.Sent Items', 1);" >"$CM_TMP/extra.sql" &&
sh tests/data/mailfolders/mkdb.sh "$CM_TMP" "$CM_TMP/extra.sql" && cd "$CM_TMP" &&
mailfolders fix mail.db --account 1 --sent "INBOX.Sent Items" --drafts "INBOX.Entwürfe" --dry-run
