# triggers on accounts change other rows too (of mailboxs, and the account's own row again):
# the fix counts only the rows each UPDATE changes itself, so it works, once, with one backup
sh tests/data/mailfolders/mkdb.sh "$CM_TMP" && cd "$CM_TMP" &&
sqlite3 mail.db "CREATE TRIGGER touch AFTER UPDATE ON accounts BEGIN UPDATE mailboxs SET _lastuid = 'seen' WHERE _account = new._id; END;
CREATE TRIGGER stamp AFTER UPDATE OF _sentfolder, _trashfolder, _draftfolder ON accounts BEGIN UPDATE accounts SET _lastupdatetime = 1700000000 WHERE _id = new._id; END;" &&
mailfolders fix mail.db --account 1 >out; echo "exit $?"; tail -3 out; rm out; ls &&
sqlite3 mail.db "select _id, _sentfolderid, _trashfolderid, _draftfolderid, _lastupdatetime from accounts; select count(*) from mailboxs where _lastuid = 'seen'"
