# a mailbox name with an escape sequence: printed escaped, and the SQL holds char(27), not
# the byte (cat -v would show a raw one as ^[)
printf "%s\n" "INSERT INTO mailboxs (_id, _undecodename, _decodename, _shortname, _account) VALUES (50, 'INBOX.x' || char(27) || '[2J', 'INBOX.x' || char(27) || '[2J', '', 1);" >"$CM_TMP/extra.sql" &&
sh tests/data/mailfolders/mkdb.sh "$CM_TMP" "$CM_TMP/extra.sql" && cd "$CM_TMP" &&
mailfolders fix mail.db --account 1 --sent "$(printf 'INBOX.x\033[2J')" --dry-run | cat -v
