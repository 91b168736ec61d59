# _decodename is empty for INBOX.Notes: matched on _shortname
sh tests/data/mailfolders/mkdb.sh "$CM_TMP" && cd "$CM_TMP" && mailfolders fix mail.db -a 1 --drafts INBOX.Notes -n | head -4
