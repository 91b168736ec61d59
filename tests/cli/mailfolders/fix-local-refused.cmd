# the app's own "Sent" is not a server folder
sh tests/data/mailfolders/mkdb.sh "$CM_TMP" && cd "$CM_TMP" && mailfolders fix mail.db -a 1 --prefix ""
