sh tests/data/mailfolders/mkdb.sh "$CM_TMP" && cd "$CM_TMP" && mailfolders fix mail.db --account 9
