# no mailbox under this prefix: what was looked for, similar names, exit 1
sh tests/data/mailfolders/mkdb.sh "$CM_TMP" && cd "$CM_TMP" && mailfolders fix mail.db --account 1 --prefix Mail/
