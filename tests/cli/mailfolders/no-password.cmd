# no --password-file, no MAILFOLDERS_PASSWORD, no terminal to ask on
unset MAILFOLDERS_PASSWORD; setsid -w mailfolders namespace imap://jane@127.0.0.1:1
