# a database whose full path is longer than SQLite opens: said, with the way out
cd "$CM_TMP" && d=$(printf 'd%.0s' $(seq 200)) && mkdir -p "$d/$d/$d" &&
sqlite3 "$d/$d/mail.db" "create table t(x)" && mv "$d/$d/mail.db" "$d/$d/$d/mail.db" &&
mailfolders accounts "$d/$d/$d/mail.db" 2>err; echo "exit $?"
sed "s/$d/D/g; s/is [0-9]* bytes long/is N bytes long/" err
