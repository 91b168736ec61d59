# a database given through a symbolic link: SQLite reads the target's -wal file, and so does
# every decision of mailfolders; a fix that changes nothing leaves the -wal file as it was
sh tests/data/mailfolders/mkdb.sh "$CM_TMP/real" && cd "$CM_TMP" && mkdir link &&
ln -s ../real/mail.db link/mail.db && cksum real/mail.db real/mail.db-wal >sum &&
mailfolders accounts link/mail.db | head -3 &&
mailfolders fix link/mail.db --account 1 --sent NoSuch; echo "exit $?"
cksum real/mail.db real/mail.db-wal | cmp - sum && ls real
