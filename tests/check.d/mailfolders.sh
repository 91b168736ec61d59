#!/bin/sh
# mailfolders checks that need more than a golden file: fix killed or failed at every write,
# sync, truncate, unlink and rename SQLite makes, on a WAL and on a rollback-journal
# database (and what the listings say after each); a database locked by another writer;
# read-only files, directories and file systems; the password prompt; a scripted IMAP server
# (mf_fake_imap) and a real one (Dovecot with TLS, started here on free loopback ports with a
# throwaway configuration and stopped by its pid). Run by make check as
#   sh tests/check.d/mailfolders.sh BUILD SUFFIX
# from the repository root; prints one "PASS label" or "FAIL label" line per check.
set -u
build=${1:-build}
sfx=${2:-}
bin=$(cd "$build" && pwd)
mf="$bin/mailfolders"
shim="$bin/tests/libfault_sqlite.so"
fake_imap="$bin/tests/mf_fake_imap"
root=$(pwd)
mkdb="$root/tests/data/mailfolders/mkdb.sh"
# on a tmpfs when there is one: the hundreds of fault runs sync a lot, and what they test is
# where the calls fail, not how long a disk takes
tmp=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
chmod 755 "$tmp"
dovecot_pid=""
fake_pid=""
cleanup() {
	stop_dovecot
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

pass() { echo "PASS mailfolders/$1$sfx${2:+ ($2)}"; }
fail() { echo "FAIL mailfolders/$1$sfx${2:+ ($2)}"; }
# check LABEL DETAIL: PASS when the file $tmp/bad is empty, else FAIL with its text
check() {
	if [ -s "$tmp/bad" ]; then
		fail "$1" "$(tr '\n' ' ' <"$tmp/bad" | cut -c 1-600)"
	else
		pass "$1" "${2:-}"
	fi
	: >"$tmp/bad"
}
: >"$tmp/bad"
bad() { echo "$*" >>"$tmp/bad"; }
# expect WHAT FILE: the file holds exactly what stdin holds
expect() {
	cat >"$tmp/want"
	cmp -s "$tmp/want" "$2" || bad "$1: $(diff "$tmp/want" "$2" | head -6 | tr '\n' ' ')"
}

if [ ! -x "$mf" ]; then
	fail build "no $mf; run make BUILD=$build check-build"
	exit 1
fi

# ---- the state of a database: integrity, both accounts' settings, row counts
state() {
	sqlite3 -batch "$1" "PRAGMA integrity_check;
		SELECT _sentfolder, _sentfoldertext, _sentfolderid, _trashfolder, _trashfoldertext,
		       _trashfolderid, _draftfolder, _draftfoldertext, _draftfolderid
		FROM accounts ORDER BY _id;
		SELECT count(*) FROM mailboxs; SELECT count(*) FROM messages;" 2>&1 | tr '\n' ' '
}
# the fixture as the phone hands it over (WAL), and the same in rollback-journal mode
sh "$mkdb" "$tmp/wal" || { fail fixture "mkdb.sh failed"; exit 1; }
cp -r "$tmp/wal" "$tmp/rollback" && sqlite3 "$tmp/rollback/mail.db" "PRAGMA journal_mode = DELETE" >/dev/null
old="ok Sent|Sent|3|Trash|Trash|4|Drafts|Drafts|41 Sent|Sent|12|Trash|Trash|13|Drafts|Drafts|14 27 5 "
new="ok INBOX.Sent|INBOX.Sent|23|INBOX.Trash|INBOX.Trash|9|INBOX.Drafts|INBOX.Drafts|27 Sent|Sent|12|Trash|Trash|13|Drafts|Drafts|14 27 5 "
for fx in wal rollback; do
	rm -rf "$tmp/run" && cp -r "$tmp/$fx" "$tmp/run"
	[ "$(state "$tmp/run/mail.db")" = "$old" ] || { fail fixture "$fx: $(state "$tmp/run/mail.db")"; exit 1; }
	"$mf" fix "$tmp/run/mail.db" --account 1 >/dev/null 2>&1
	[ "$(state "$tmp/run/mail.db")" = "$new" ] || { fail fixture "$fx fixed: $(state "$tmp/run/mail.db")"; exit 1; }
done

# ---- killed or failed at every point: the old or the new database, never a mix
#
# One run: fixture FX, fault SPEC, in directory RUN; appends "old", "new" or "bad ..." to
# RUN.result. With LISTING set, 'mailfolders accounts' looks first (before sqlite3, which
# rolls a hot journal back): it must show what sqlite3 then finds, or refuse because of the
# hot journal, never the half-written file.
fault_run() {
	fx=$1 spec=$2 run=$3
	action=$(echo "$spec" | cut -d: -f3)
	rm -rf "$run" && cp -r "$tmp/$fx" "$run"
	MF_FAULT="$spec" LD_PRELOAD="$shim" "$mf" fix "$run/mail.db" --account 1 >"$run.out" 2>&1
	rc=$?
	seen=""
	if [ -n "${LISTING:-}" ]; then
		"$mf" accounts "$run/mail.db" >"$run.acc" 2>&1
		arc=$?
		if grep -q '^  sent    INBOX.Sent    INBOX.Sent    23 ' "$run.acc"; then
			seen=new
		elif grep -q '^  sent    Sent    Sent    3 ' "$run.acc"; then
			seen=old
		elif [ $arc = 2 ] && grep -q 'holds a transaction that was interrupted' "$run.acc"; then
			seen=refused
		else
			seen="?($(head -c 200 "$run.acc"))"
		fi
	fi
	got=$(state "$run/mail.db")
	pt=$(echo "$spec" | cut -d: -f2)
	if [ "$got" = "$old" ]; then
		r=old
		[ "$rc" = 0 ] && r="bad $pt(exit 0 but old)"
	elif [ "$got" = "$new" ]; then
		r=new
	else
		r="bad $pt(mix: $got)"
	fi
	case $seen in
	"" | refused | "$r") ;;
	*) r="bad $pt(accounts showed $seen, sqlite3 $r)" ;;
	esac
	case $action:$rc in
	kill*:137 | kill*:0 | fail:0 | fail:2 | term:143 | term:0) ;;
	*) r="bad $pt(exit $rc: $(head -c 300 "$run.out"))" ;;
	esac
	# a backup that exists is the whole original; only SIGKILL leaves a temporary file
	if [ -e "$run/mail.db.mailfolders.bak" ]; then
		b=$(state "$run/mail.db.mailfolders.bak")
		[ "$b" = "$old" ] || r="bad $pt(backup: $b)"
	fi
	case $action in kill*) ;; *)
		for f in "$run"/*.tmp-*; do
			[ -e "$f" ] && r="bad $pt(left $(basename "$f"))"
		done ;;
	esac
	echo "$r" >>"$run.result"
}

# faults LABEL FX CALL ACTION [ERRNO]: every point of one call kind, on two workers
faults() {
	label=$1 fx=$2 call=$3 action=$4 errno=${5:-}
	n=$(awk -v c="$call" '$1 == c { print $2 }' "$tmp/counts-$fx")
	rm -f "$tmp"/w*.result
	for w in 0 1; do
		(
			i=$((w + 1))
			while [ "$i" -le "$n" ]; do
				fault_run "$fx" "$call:$i:$action${errno:+:$errno}" "$tmp/w$w"
				i=$((i + 2))
			done
		) &
	done
	wait
	cat "$tmp"/w*.result 2>/dev/null >"$tmp/results"
	nold=$(grep -c '^old$' "$tmp/results")
	nnew=$(grep -c '^new$' "$tmp/results")
	if grep -q '^bad' "$tmp/results"; then
		fail "$label" "at$(grep '^bad' "$tmp/results" | sed 's/^bad//' | sort -n | tr '\n' ' ')"
	elif [ $((nold + nnew)) -ne "$n" ] || [ "$n" -eq 0 ]; then
		fail "$label" "$((nold + nnew)) results for $n points"
	else
		pass "$label" "$n points: $nold old, $nnew new, integrity ok"
	fi
}

for fx in wal rollback; do
	rm -rf "$tmp/run" && cp -r "$tmp/$fx" "$tmp/run"
	rm -f "$tmp/counts-$fx"
	MF_FAULT_COUNT="$tmp/counts-$fx" LD_PRELOAD="$shim" "$mf" fix "$tmp/run/mail.db" --account 1 \
		>/dev/null 2>&1
	if [ ! -s "$tmp/counts-$fx" ]; then
		fail "faults-$fx" "the shim counted nothing (LD_PRELOAD=$shim)"
		continue
	fi
	# the rollback journal is where a listing could see a half-written file
	LISTING=""
	[ $fx = rollback ] && LISTING=1
	for call in write sync truncate unlink rename; do
		[ "$(awk -v c="$call" '$1 == c { print $2 }' "$tmp/counts-$fx")" -gt 0 ] || continue
		for action in kill kill-after fail; do
			faults "fault-$fx-$call-$action" "$fx" "$call" "$action"
		done
	done
	LISTING=""
done
# a full disk, and SIGTERM (caught: the temporary backup file is removed) at every write
faults fault-wal-write-fail-ENOSPC wal write fail ENOSPC
faults fault-rollback-write-term rollback write term

# ---- the review's case: a rollback-journal database, fix killed mid-commit
rm -rf "$tmp/hot" && cp -r "$tmp/rollback" "$tmp/hot"
n=$(awk '$1 == "write" { print $2 }' "$tmp/counts-rollback")
i=1
while [ "$i" -le "$n" ]; do
	rm -rf "$tmp/hot" && cp -r "$tmp/rollback" "$tmp/hot"
	MF_FAULT="write:$i:kill-after" LD_PRELOAD="$shim" "$mf" fix "$tmp/hot/mail.db" --account 1 \
		>/dev/null 2>&1
	# a journal with the database file already written: the file alone says 23
	[ -e "$tmp/hot/mail.db-journal" ] &&
		[ "$(sqlite3 "file:$tmp/hot/mail.db?immutable=1" "SELECT _sentfolderid FROM accounts WHERE _id = 1")" = 23 ] &&
		break
	i=$((i + 1))
done
if [ "$i" -gt "$n" ]; then
	bad "no kill point left a hot journal over a written database file"
else
	# kept for the read-only checks below (without the killed run's backup)
	cp -r "$tmp/hot" "$tmp/hotjournal" && rm -f "$tmp/hotjournal"/mail.db.mailfolders.bak*
	cksum "$tmp/hot/mail.db" "$tmp/hot/mail.db-journal" >"$tmp/sum"
	"$mf" accounts "$tmp/hot/mail.db" >"$tmp/out" 2>"$tmp/err"
	echo "exit $?" >>"$tmp/out"
	expect "accounts stdout" "$tmp/out" <<EOF
exit 2
EOF
	expect "accounts stderr" "$tmp/err" <<EOF
mailfolders: $tmp/hot/mail.db: its -journal file holds a transaction that was interrupted (a program was stopped while writing): the database file alone is half-written until SQLite rolls that journal back
mailfolders: keep the -journal file with the database (copy them together); 'mailfolders fix' rolls it back before its change, as does any program that opens the database for writing, e.g. sqlite3 DB 'PRAGMA integrity_check'
EOF
	"$mf" fix "$tmp/hot/mail.db" --account 1 --dry-run >/dev/null 2>"$tmp/err"
	grep -q "holds a transaction that was interrupted" "$tmp/err" || bad "dry run: $(cat "$tmp/err")"
	cksum "$tmp/hot/mail.db" "$tmp/hot/mail.db-journal" | cmp -s - "$tmp/sum" || bad "looking changed the files"
	"$mf" fix "$tmp/hot/mail.db" --account 1 >"$tmp/out" 2>"$tmp/err" || bad "fix: $(cat "$tmp/err")"
	head -1 "$tmp/out" >"$tmp/got"
	expect "fix rolls back first" "$tmp/got" <<EOF
$tmp/hot/mail.db: its -journal file held a transaction that was interrupted; SQLite rolled it back
EOF
	[ "$(state "$tmp/hot/mail.db")" = "$new" ] || bad "after fix: $(state "$tmp/hot/mail.db")"
	[ -e "$tmp/hot/mail.db-journal" ] && bad "the journal is still there"
	[ "$(state "$tmp/hot/mail.db.mailfolders.bak")" = "$old" ] || bad "backup: $(state "$tmp/hot/mail.db.mailfolders.bak")"
fi
check hot-journal "killed at write $i: accounts refuses, fix rolls back, then fixes"

# ---- another writer holds the lock: a bounded wait, then a refusal, nothing changed
rm -rf "$tmp/run" && cp -r "$tmp/wal" "$tmp/run"
fifo="$tmp/hold"
mkfifo "$fifo"
# the writer: a transaction open until told to stop (its stdin is the FIFO)
sqlite3 -batch "$tmp/run/mail.db" <"$fifo" >/dev/null 2>&1 &
writer=$!
exec 9>"$fifo"
echo "BEGIN IMMEDIATE; UPDATE messages SET _read = 1; SELECT 'locked';" >&9
sleep 0.5
start=$(date +%s%N)
"$mf" fix "$tmp/run/mail.db" --account 1 --timeout 700 >"$tmp/out" 2>"$tmp/err"
rc=$?
end=$(date +%s%N)
ms=$(((end - start) / 1000000))
echo "ROLLBACK;" >&9
exec 9>&-
wait "$writer"
got=$(state "$tmp/run/mail.db")
if [ "$rc" = 2 ] && [ "$ms" -ge 600 ] && [ "$ms" -lt 10000 ] && [ "$got" = "$old" ] &&
	grep -q "another program is using the database" "$tmp/err" &&
	grep -q "nothing was changed" "$tmp/err" && [ ! -e "$tmp/run/mail.db.mailfolders.bak" ]; then
	pass lock "refused after ${ms} ms, database unchanged"
else
	fail lock "exit $rc after ${ms} ms: $(cat "$tmp/err")"
fi

# ---- read-only: refused before anything is written, and said so
# As root every file is writable, so these run as nobody (setpriv); a read-only file system
# is a read-only bind mount in a mount namespace of our own (unshare -m, as root).
if [ "$(id -u)" = 0 ]; then
	as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
	as_user() { "$@"; }
fi
# ro_case NAME FIXTURE FILEMODE DIRMODE [fix options]: fix exits 2, files and directory unchanged
# (with jmode set, the -journal file gets that mode)
jmode=""
ro_case() {
	name=$1 fx=$2 fmode=$3 dmode=$4
	shift 4
	d="$tmp/ro-$name"
	rm -rf "$d" && cp -r "$tmp/$fx" "$d"
	chmod "$fmode" "$d"/mail.db*
	chmod "$dmode" "$d"
	[ -n "$jmode" ] && chmod "$jmode" "$d/mail.db-journal"
	ls "$d" >"$tmp/ls-before"
	# the content: the database and its log (the -shm index may be rebuilt by a reader)
	content() { cksum "$d/mail.db" $(ls "$d/mail.db-wal" "$d/mail.db-journal" 2>/dev/null); }
	content >"$tmp/sum"
	as_user "$mf" fix "$d/mail.db" --account 1 "$@" >/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc = 2 ] || bad "$name: exit $rc"
	content | cmp -s - "$tmp/sum" || bad "$name: the files changed"
	ls "$d" | cmp -s - "$tmp/ls-before" || bad "$name: $(ls "$d" | tr '\n' ' ')"
}
if [ "$(id -u)" = 0 ] && ! as_user true 2>/dev/null; then
	bad "setpriv cannot run a program as nobody"
else
	ro_case file-wal wal 444 777
	expect "read-only WAL database" "$tmp/err" <<EOF
mailfolders: $tmp/ro-file-wal/mail.db: is read-only (Permission denied); make it writable (chmod u+w $tmp/ro-file-wal/mail.db) or work on a copy
mailfolders: nothing was changed
EOF
	ro_case file-rollback rollback 444 777
	expect "read-only rollback database" "$tmp/err" <<EOF
mailfolders: $tmp/ro-file-rollback/mail.db: is read-only (Permission denied); make it writable (chmod u+w $tmp/ro-file-rollback/mail.db) or work on a copy
mailfolders: nothing was changed
EOF
	ro_case dir wal 666 555
	expect "read-only directory" "$tmp/err" <<EOF
mailfolders: $tmp/ro-dir/mail.db: its directory $tmp/ro-dir is read-only (Permission denied), and SQLite writes its -journal or -wal file there; make the directory writable or work on a copy elsewhere
mailfolders: nothing was changed
EOF
	mkdir -p "$tmp/ro-bakdir" && chmod 555 "$tmp/ro-bakdir"
	ro_case backup-dir wal 666 777 --backup "$tmp/ro-bakdir/mail.db.bak"
	expect "read-only backup directory" "$tmp/err" <<EOF
mailfolders: $tmp/ro-backup-dir/mail.db: cannot create the backup $tmp/ro-bakdir/mail.db.bak: its directory: Permission denied
mailfolders: nothing was changed
EOF
	# a hot journal SQLite cannot open for writing, so cannot roll back
	if [ -d "$tmp/hotjournal" ]; then
		jmode=444
		ro_case journal hotjournal 666 777
		jmode=""
		expect "read-only hot journal" "$tmp/err" <<EOF
mailfolders: $tmp/ro-journal/mail.db: its -journal file $tmp/ro-journal/mail.db-journal is read-only (Permission denied); make it writable or work on a copy
mailfolders: nothing was changed
EOF
	else
		bad "no hot journal fixture for the read-only journal case"
	fi
	# a listing of a read-only database still works
	as_user "$mf" accounts "$tmp/ro-file-wal/mail.db" >"$tmp/out" 2>&1 || bad "accounts: $(cat "$tmp/out")"
fi
check read-only "file (WAL and rollback), directory, backup directory, hot -journal"

d="$tmp/rofs"
rm -rf "$d" && cp -r "$tmp/wal" "$d"
cksum "$d"/mail.db* >"$tmp/sum"
if unshare -m sh -c 'mount --bind -o ro "$1" "$1" && "$2" fix "$1/mail.db" --account 1 >/dev/null 2>"$3"; echo $? >"$3.rc"' \
	sh "$d" "$mf" "$tmp/err" 2>"$tmp/unshare"; then
	expect "read-only file system" "$tmp/err" <<EOF
mailfolders: $d/mail.db: is on a read-only file system; work on a copy elsewhere
mailfolders: nothing was changed
EOF
	[ "$(cat "$tmp/err.rc")" = 2 ] || bad "exit $(cat "$tmp/err.rc")"
	cksum "$d"/mail.db* | cmp -s - "$tmp/sum" || bad "the files changed"
else
	bad "unshare -m and a read-only bind mount are not available here: $(cat "$tmp/unshare")"
fi
check read-only-fs

# ---- the password prompt (a terminal from script(1)): empty refused, Ctrl-C restores echo
prompt() {
	(sleep 0.4; printf '%b' "$1"; sleep 0.4) |
		timeout 10 script -qec "$2" /dev/null >"$tmp/out" 2>&1
}
if ! command -v script >/dev/null 2>&1; then
	bad "script(1) (util-linux) is not installed"
else
	prompt '\n' "env -u MAILFOLDERS_PASSWORD '$mf' namespace imap://jane@127.0.0.1:1"
	rc=$?
	tr -d '\r' <"$tmp/out" >"$tmp/got"
	expect "empty password" "$tmp/got" <<EOF
password for jane@127.0.0.1: 
mailfolders: the password is empty; nothing was sent to 127.0.0.1
EOF
	[ $rc = 2 ] || bad "empty password: exit $rc"
	rm -f "$tmp/stty"
	prompt '\003' "sh -c 'trap \"stty -a >$tmp/stty; exit 130\" INT; env -u MAILFOLDERS_PASSWORD \"$mf\" namespace imap://jane@127.0.0.1:1'"
	grep -q -- ' -echo ' "$tmp/stty" && bad "Ctrl-C at the prompt left the terminal without echo"
	grep -q -- ' echo ' "$tmp/stty" || bad "no stty output after Ctrl-C: $(cat "$tmp/out")"
fi
check password-prompt "empty refused, echo back after Ctrl-C"

# ---- a scripted server (mf_fake_imap): no STARTTLS, an empty prefix, no RETURN (SPECIAL-USE)
start_fake() {
	"$fake_imap" "$root/tests/data/mailfolders/fake/$1" "$tmp/fake.log" >"$tmp/fake.port" &
	fake_pid=$!
	i=0
	while [ ! -s "$tmp/fake.port" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	fake_url="imap://jane@127.0.0.1:$(cat "$tmp/fake.port")"
}
stop_fake() {
	kill "$fake_pid" 2>/dev/null
	wait "$fake_pid" 2>/dev/null
	fake_pid=""
}
printf 'secret\n' >"$tmp/password"
start_fake older-server.txt
fport=$(cat "$tmp/fake.port")
# imap:// without STARTTLS: refused before the password is sent
"$mf" namespace --password-file "$tmp/password" "$fake_url" >"$tmp/out" 2>"$tmp/err"
echo "exit $?" >>"$tmp/out"
expect "no STARTTLS" "$tmp/err" <<EOF
mailfolders: 127.0.0.1:$fport does not offer STARTTLS, so the password would cross the network in clear; nothing was sent (use imaps://, or --insecure-plaintext for a test server on this machine)
EOF
expect "no STARTTLS: exit" "$tmp/out" <<EOF
exit 2
EOF
grep -q "LOGIN\|secret" "$tmp/fake.log" && bad "the password reached the server: $(cat "$tmp/fake.log")"
check fake-starttls-required "password never sent"
# allowed on the loopback: NAMESPACE with an empty prefix, LIST ... RETURN refused, plain LIST
"$mf" namespace --insecure-plaintext --password-file "$tmp/password" "$fake_url" >"$tmp/out" 2>"$tmp/err" ||
	bad "exit $?: $(cat "$tmp/err")"
expect "namespace" "$tmp/out" <<EOF
$fake_url
  personal namespace: prefix "" delimiter "/"
  other users' namespace: none
  shared namespace: none
  special-use folders (RFC 6154) [the server refused LIST ... RETURN (SPECIAL-USE); from plain LIST]:
    \\Sent    none
    \\Trash   none
    \\Drafts  none
  folders: 6
EOF
check fake-plain-list
# fix --server with that server: the empty prefix and the usual names (account 2 has them)
rm -rf "$tmp/run" && cp -r "$tmp/wal" "$tmp/run"
"$mf" fix "$tmp/run/mail.db" --account 2 --server "$fake_url" --insecure-plaintext \
	--password-file "$tmp/password" >"$tmp/out" 2>"$tmp/err" || bad "exit $?: $(cat "$tmp/err")"
expect "fix --server" "$tmp/out" <<EOF
$tmp/run/mail.db: account 2: Home <jane@home.example>
  server 127.0.0.1: personal namespace prefix ""
  sent    12    Sent  (the prefix "" and a usual sent folder name)
  trash   13    Trash  (the prefix "" and a usual trash folder name)
  drafts  14    Drafts  (the prefix "" and a usual drafts folder name)
$tmp/run/mail.db: account 2 already points at these folders; nothing to change
EOF
check fake-fix-empty-prefix
# --prefix is taken as written even with --server: the server's delimiter ("/" here) goes
# with the server's prefix only, so "INBOX." finds account 1's INBOX.Sent, not INBOX./Sent
rm -rf "$tmp/run" && cp -r "$tmp/wal" "$tmp/run"
"$mf" fix "$tmp/run/mail.db" --account 1 --server "$fake_url" --insecure-plaintext \
	--password-file "$tmp/password" --prefix INBOX. --dry-run >"$tmp/out" 2>"$tmp/err" ||
	bad "exit $?: $(cat "$tmp/err")"
grep -q '^  sent    23    INBOX.Sent  (the prefix "INBOX." and a usual sent folder name)$' "$tmp/out" ||
	bad "--prefix with --server: $(head -5 "$tmp/out" | tr '\n' ' ')"
check fake-fix-prefix-as-written
stop_fake

# ---- a real IMAP server: Dovecot with the prefix "INBOX.", special-use folders and TLS
stop_dovecot() {
	[ -n "$dovecot_pid" ] || return 0
	kill "$dovecot_pid" 2>/dev/null
	i=0
	while kill -0 "$dovecot_pid" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$dovecot_pid" 2>/dev/null
	wait "$dovecot_pid" 2>/dev/null
	dovecot_pid=""
}

if ! command -v dovecot >/dev/null 2>&1 && [ ! -x /usr/sbin/dovecot ]; then
	fail dovecot "Dovecot is not installed: apt-get install -y --no-install-recommends dovecot-imapd"
	exit 1
fi
if ! command -v openssl >/dev/null 2>&1; then
	fail dovecot "openssl is not installed (it makes the test server's certificate)"
	exit 1
fi
dovecot_bin=$(command -v dovecot || echo /usr/sbin/dovecot)
dv="$tmp/dovecot"
mkdir -p "$dv/run" "$dv/mail/jane" "$dv/log"
chmod 755 "$dv"
# a throwaway certificate for 127.0.0.1, which the client is told to trust (--cacert)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
	-subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
	-keyout "$dv/key.pem" -out "$dv/cert.pem" >/dev/null 2>&1 ||
	{ fail dovecot "openssl could not make a certificate"; exit 1; }
if [ "$(id -u)" = 0 ]; then
	# Dovecot runs neither its login processes nor a mail user as root
	login_user=dovenull internal_user=dovecot internal_group=dovecot
	mail_uid=$(id -u nobody) mail_gid=$(id -g nobody)
else
	login_user=$(id -un) internal_user=$(id -un) internal_group=$(id -gn)
	mail_uid=$(id -u) mail_gid=$(id -g)
fi
# folders beyond the special-use ones (Maildir++: one ".Name" directory each)
for f in .Archive ".Entw&APw-rfe" .Lists .Lists.sqlite-users; do
	mkdir -p "$dv/mail/jane/$f/cur" "$dv/mail/jane/$f/new" "$dv/mail/jane/$f/tmp"
done
[ "$(id -u)" = 0 ] && chown -R "$mail_uid:$mail_gid" "$dv/mail"
printf 'jane:{PLAIN}secret:%s:%s::%s::\n' "$mail_uid" "$mail_gid" "$dv/mail/jane" >"$dv/passwd"
printf 'secret\n' >"$dv/password"
printf 'wrong\n' >"$dv/wrong"

write_config() {
	cat >"$dv/dovecot.conf" <<EOF
# throwaway: loopback only, this directory only, a self-signed certificate
base_dir = $dv/run
state_dir = $dv/run
instance_name = mailfolders-test
listen = 127.0.0.1
protocols = imap
ssl = yes
ssl_cert = <$dv/cert.pem
ssl_key = <$dv/key.pem
auth_mechanisms = plain
auth_failure_delay = 0
log_path = $dv/log/dovecot.log
default_login_user = $login_user
default_internal_user = $internal_user
default_internal_group = $internal_group
mail_location = maildir:$dv/mail/%u
passdb {
  driver = passwd-file
  args = $dv/passwd
}
userdb {
  driver = passwd-file
  args = $dv/passwd
}
service imap-login {
  chroot =
  user = $login_user
  inet_listener imap {
    address = 127.0.0.1
    port = $1
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $2
  }
}
service anvil {
  chroot =
}
namespace inbox {
  inbox = yes
  prefix = INBOX.
  separator = .
  mailbox Sent {
    special_use = \\Sent
    auto = create
  }
  mailbox Trash {
    special_use = \\Trash
    auto = create
  }
  mailbox Drafts {
    special_use = \\Drafts
    auto = create
  }
}
EOF
}

# two ports the kernel says are free on 127.0.0.1 (bound to port 0 and released); should
# another program take one before Dovecot binds it, Dovecot exits and new ports are asked for
port=""
tls_port=""
for attempt in 1 2 3 4 5; do
	read -r p tp <<PORTS
$("$fake_imap" --free-ports 2)
PORTS
	write_config "$p" "$tp"
	: >"$dv/log/dovecot.log"
	"$dovecot_bin" -F -c "$dv/dovecot.conf" >"$dv/log/stdout" 2>&1 &
	dovecot_pid=$!
	i=0
	while [ $i -lt 50 ] && kill -0 "$dovecot_pid" 2>/dev/null &&
		! grep -q "starting up" "$dv/log/dovecot.log" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$dovecot_pid" 2>/dev/null && grep -q "starting up" "$dv/log/dovecot.log"; then
		port=$p
		tls_port=$tp
		break
	fi
	wait "$dovecot_pid" 2>/dev/null
	dovecot_pid=""
done
if [ -z "$port" ]; then
	fail dovecot "Dovecot did not start: $(cat "$dv/log/stdout" "$dv/log/dovecot.log" 2>/dev/null | tail -3)"
	exit 1
fi
pass dovecot-start "pid $dovecot_pid, 127.0.0.1:$port (STARTTLS) and :$tls_port (TLS)"
url="imap://jane@127.0.0.1:$port"
tls_url="imaps://jane@127.0.0.1:$tls_port"
ca="--cacert $dv/cert.pem"

# namespace: prefix, delimiter and the special-use folders, as text (STARTTLS) and as JSON (TLS)
# shellcheck disable=SC2086
"$mf" namespace $ca --password-file "$dv/password" "$url" >"$tmp/ns.out" 2>"$tmp/ns.err"
rc=$?
cat >"$tmp/ns.want" <<EOF
imap://jane@127.0.0.1:$port
  personal namespace: prefix "INBOX." delimiter "."
  other users' namespace: none
  shared namespace: none
  special-use folders (RFC 6154):
    \\Sent    INBOX.Sent
    \\Trash   INBOX.Trash
    \\Drafts  INBOX.Drafts
  folders: 8
EOF
if [ $rc = 0 ] && cmp -s "$tmp/ns.out" "$tmp/ns.want"; then
	pass dovecot-namespace "STARTTLS"
else
	fail dovecot-namespace "exit $rc: $(diff "$tmp/ns.want" "$tmp/ns.out" | head -5) $(cat "$tmp/ns.err")"
fi
# shellcheck disable=SC2086
MAILFOLDERS_PASSWORD=secret "$mf" namespace $ca --json "$tls_url" >"$tmp/ns.json" 2>&1
if grep -q '"personal": \[' "$tmp/ns.json" && grep -q '"tls": true' "$tmp/ns.json" &&
	grep -q '{"prefix": "INBOX.", "delimiter": "."}' "$tmp/ns.json" &&
	grep -q '{"name": "INBOX.Entw&APw-rfe", "decoded": "INBOX.Entw\\u00fcrfe"\|{"name": "INBOX.Entw&APw-rfe", "decoded": "INBOX.Entwürfe"' "$tmp/ns.json" &&
	grep -q '"attributes": \["\\\\Sent"\]' "$tmp/ns.json"; then
	pass dovecot-namespace-json "imaps://"
else
	fail dovecot-namespace-json "$(head -c 600 "$tmp/ns.json")"
fi
# a certificate nobody vouched for: refused before the login
MAILFOLDERS_PASSWORD=secret "$mf" namespace "$tls_url" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && grep -q "^mailfolders: TLS with 127.0.0.1:$tls_port failed (.*certificate.*); --cacert FILE names the CA that signed the server's certificate$" "$tmp/err"; then
	pass dovecot-tls-unverified
else
	fail dovecot-tls-unverified "exit $rc: $(cat "$tmp/err")"
fi

# fix --server: the server's prefix and \Sent \Trash \Drafts choose the seed's mailboxes
rm -rf "$tmp/run" && cp -r "$tmp/wal" "$tmp/run"
# shellcheck disable=SC2086
"$mf" fix "$tmp/run/mail.db" --account 1 --server "$url" $ca --password-file "$dv/password" \
	>"$tmp/fix.out" 2>"$tmp/fix.err"
rc=$?
got=$(state "$tmp/run/mail.db")
if [ $rc = 0 ] && [ "$got" = "$new" ] && grep -q 'marked \\Sent on the server' "$tmp/fix.out" &&
	grep -q "personal namespace prefix \"INBOX.\"" "$tmp/fix.out"; then
	pass dovecot-fix-server "INBOX.Sent 23, INBOX.Trash 9, INBOX.Drafts 27; account 2 unchanged"
else
	fail dovecot-fix-server "exit $rc: $(cat "$tmp/fix.err") $got"
fi

# the server refuses the login: exit 2, a clear message, the database untouched
rm -rf "$tmp/run" && cp -r "$tmp/wal" "$tmp/run"
sum_before=$(cat "$tmp/run/mail.db" "$tmp/run/mail.db-wal" | cksum)
# shellcheck disable=SC2086
"$mf" fix "$tmp/run/mail.db" --account 1 --server "$url" $ca --password-file "$dv/wrong" \
	>"$tmp/fix.out" 2>"$tmp/fix.err"
rc=$?
sum_after=$(cat "$tmp/run/mail.db" "$tmp/run/mail.db-wal" | cksum)
if [ $rc = 2 ] && [ "$sum_before" = "$sum_after" ] &&
	grep -q "refused the login of user \"jane\"" "$tmp/fix.err"; then
	pass dovecot-login-refused
else
	fail dovecot-login-refused "exit $rc: $(cat "$tmp/fix.err")"
fi

stop_dovecot
i=0
while grep -qs "mailfolders-tes[t]" /proc/[0-9]*/cmdline && [ $i -lt 30 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ -z "$dovecot_pid" ] && ! grep -qs "mailfolders-tes[t]" /proc/[0-9]*/cmdline; then
	pass dovecot-stopped
else
	fail dovecot-stopped "Dovecot is still running"
fi
