# refused before any connection; a password in the URL is never echoed
export MAILFOLDERS_PASSWORD=x
mailfolders namespace imap://jane:secret@127.0.0.1; echo "exit $?"
mailfolders namespace http://jane@example.org; echo "exit $?"
mailfolders namespace imap://example.org; echo "exit $?"
mailfolders namespace "imap://jane@example.org/INBOX.Sent"; echo "exit $?"
mailfolders fix mail.db -a 1 --server "imaps://jane@exa mple.org"; echo "exit $?"
# CR LF in the user name would end libcurl's LOGIN and start a command of its own
mailfolders namespace "imap://jane%0D%0Aa1%20LOGOUT@127.0.0.1:1"; echo "exit $?"
