cd "$CM_TMP" && : >mail.db && mailfolders accounts mail.db
