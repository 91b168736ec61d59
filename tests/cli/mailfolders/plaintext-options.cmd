# --insecure-plaintext goes with imap:// only, and warns for a host other than this machine;
# an empty password is refused before any connection
export MAILFOLDERS_PASSWORD=x
mailfolders namespace --insecure-plaintext imaps://jane@127.0.0.1:1; echo "exit $?"
unset MAILFOLDERS_PASSWORD; setsid -w mailfolders namespace --insecure-plaintext imap://jane@192.0.2.1; echo "exit $?"
MAILFOLDERS_PASSWORD= mailfolders namespace imap://jane@127.0.0.1:1; echo "exit $?"
