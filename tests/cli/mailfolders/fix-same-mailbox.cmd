# one mailbox for two roles is refused
sh tests/data/mailfolders/mkdb.sh "$CM_TMP" && cd "$CM_TMP" && mailfolders fix mail.db -a 1 --sent INBOX.Archive --trash INBOX.Archive
