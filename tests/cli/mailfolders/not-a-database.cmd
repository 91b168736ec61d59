# bad input: exit 2, a clear message, the file untouched
cd "$CM_TMP" && printf "From: jane\nSubject: not a database\n" >mail.db && cksum mail.db >sum &&
mailfolders fix mail.db --account 1; echo "exit $?"; cksum mail.db | cmp - sum && mailfolders accounts mail.db
