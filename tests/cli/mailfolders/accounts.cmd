# the seed's situation: account 1 points at the app's own folders, account 2 is fine
sh tests/data/mailfolders/mkdb.sh "$CM_TMP" && cd "$CM_TMP" && mailfolders accounts mail.db
