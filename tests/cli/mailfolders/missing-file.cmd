cd "$CM_TMP" && mailfolders accounts nothere.db; echo "exit $?"; mailfolders fix . -a 1
