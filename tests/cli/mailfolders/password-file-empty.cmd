cd "$CM_TMP" && : >pw && mailfolders namespace --password-file pw imap://jane@127.0.0.1:1
