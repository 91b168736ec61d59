# a SQLite database, but not the mail app's: the missing columns are named
cd "$CM_TMP" && sqlite3 mail.db "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, _name TEXT, _sentfolder TEXT, _trashfolder TEXT, _draftfolder TEXT); CREATE TABLE mailboxs (_id INTEGER PRIMARY KEY, _account INTEGER, _decodename TEXT); INSERT INTO accounts VALUES (1, 'Work', 'Sent', 'Trash', 'Drafts');" &&
cksum mail.db >sum && mailfolders fix mail.db --account 1; echo "exit $?"; cksum mail.db | cmp - sum && ls
