# a database given through a symbolic link: SQLite reads the target's -wal file, and so does
# every decision of mailfolders; a fix that changes nothing leaves the -wal file as it was
sh tests/data/mailfolders/mkdb.sh "$CM_TMP/real" && cd "$CM_TMP" && mkdir link &&
ln -s ../real/mail.db link/mail.db && cksum real/mail.db real/mail.db-wal >sum &&
mailfolders accounts link/mail.db | head -3 &&
mailfolders fix link/mail.db --account 1 --sent NoSuch; echo "exit $?"
cksum real/mail.db real/mail.db-wal | cmp - sum && ls real
# the fix through the link changes the target, and its backup goes beside the target too,
# with the target's -wal folded in and removed
mailfolders fix link/mail.db --account 1 >out; echo "exit $?"; tail -3 out | sed "s|$CM_TMP|TMP|g"
rm out sum && ls real link && for f in real/mail.db real/mail.db.mailfolders.bak; do
	sqlite3 "$f" "select _sentfolderid, _trashfolderid, _draftfolderid from accounts where _id = 1"; done
