# a second run changes nothing and makes no second backup; a third account fix gets .bak.1
sh tests/data/mailfolders/mkdb.sh "$CM_TMP" && cd "$CM_TMP" && mailfolders fix mail.db -a 1 >/dev/null &&
mailfolders fix mail.db -a 1 && ls && sqlite3 mail.db "update accounts set _sentfolderid = 3 where _id = 1" &&
mailfolders fix mail.db -a 1 | tail -3 && ls
