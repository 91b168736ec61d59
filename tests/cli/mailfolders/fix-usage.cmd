mailfolders fix mail.db; echo "exit $?"; mailfolders fix --account x mail.db; echo "exit $?"; mailfolders fix --bogus
