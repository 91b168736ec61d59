# nothing listens on port 1 of the loopback
MAILFOLDERS_PASSWORD=x mailfolders namespace imap://jane@127.0.0.1:1
