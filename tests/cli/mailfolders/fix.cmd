# the seed's fix: INBOX.Sent 23, INBOX.Trash 9, INBOX.Drafts 27 on account 1 only; the WAL
# folded into mail.db; the backup equal to the database as it was
sh tests/data/mailfolders/mkdb.sh "$CM_TMP" && sh tests/data/mailfolders/mkdb.sh "$CM_TMP/orig" &&
cd "$CM_TMP" && mailfolders fix mail.db --account 1 && ls &&
sqlite3 mail.db "select _id, _name, _sentfolder, _sentfoldertext, _sentfolderid from accounts;
select _id, _name, _trashfolder, _trashfoldertext, _trashfolderid from accounts;
select _id, _name, _draftfolder, _draftfoldertext, _draftfolderid from accounts;" &&
sqlite3 mail.db.mailfolders.bak .dump >bak.sql && sqlite3 orig/mail.db .dump >orig.sql &&
cmp bak.sql orig.sql && echo "backup = original" && mailfolders accounts mail.db
