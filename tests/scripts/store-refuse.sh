#!/bin/sh
# store-refuse.sh -- databases newsgate must refuse, each with exit 73, a
# message naming the path, and the file left byte for byte as it was: a
# file that is not a database, a database of a newer schema version, a
# missing directory, a read-only directory (for root, who may write into
# any directory, a read-only tmpfs mount stands in; skipped if it cannot
# be mounted); another program's SQLite database.
set -u
N=$NEWSGATE_BIN
T=$(mktemp -d) || exit 70
trap 'umount "$T/ro" 2>/dev/null; chmod -R u+w "$T"; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
item='{"title":"A title","body":"A body of some words."}'

refused() { # db expected-message
    for cmd in "submit" "queue list" "queue claim"; do
        echo "$item" | "$N" $cmd --db "$1" > "$T/out" 2> "$T/err"
        st=$?
        [ $st = 73 ] || fail "$cmd --db $1: exit $st, expected 73: $(cat "$T/err")"
        grep -qF -- "$1" "$T/err" || fail "$cmd: message does not name $1"
        grep -qF -- "$2" "$T/err" || fail "$cmd: message lacks '$2': $(cat "$T/err")"
        [ ! -s "$T/out" ] || fail "$cmd printed: $(cat "$T/out")"
    done
}

# Not a database.
printf 'plain text, not SQLite. %0200d\n' 0 > "$T/text.db"
cp "$T/text.db" "$T/text.orig"
refused "$T/text.db" "file is not a database"
cmp -s "$T/text.db" "$T/text.orig" || fail "not-a-database file changed"
[ ! -e "$T/text.db-wal" ] || fail "WAL created beside a non-database"

# Newer schema version: make a real database, then bump user_version
# (byte 60 of the header, big-endian).
echo "$item" | "$N" submit --db "$T/new.db" > /dev/null || fail "create"
printf '\000\000\000\143' | dd of="$T/new.db" bs=1 seek=60 conv=notrunc 2>/dev/null
cp "$T/new.db" "$T/new.orig"
refused "$T/new.db" "schema version 99 is newer"
cmp -s "$T/new.db" "$T/new.orig" || fail "newer database changed"

# Missing directory.
refused "$T/nowhere/q.db" "does not exist"
[ ! -e "$T/nowhere" ] || fail "directory created"

# Read-only directory.
mkdir "$T/ro" && chmod 555 "$T/ro"
ro=yes
if [ "$(id -u)" = 0 ] && ! mount -t tmpfs -o ro tmpfs "$T/ro" 2>/dev/null; then
    ro=no
    echo "read-only directory case skipped: root and no read-only mount"
fi
if [ $ro = yes ]; then
    echo "$item" | "$N" submit --db "$T/ro/q.db" > /dev/null 2> "$T/err"
    [ $? = 73 ] || fail "read-only directory: $(cat "$T/err")"
    grep -q "not writable" "$T/err" || fail "read-only message: $(cat "$T/err")"
    grep -qF "$T/ro/q.db" "$T/err" || fail "read-only message names no path"
    echo "read-only directory refused: $(cat "$T/err")"
fi
# Another program's SQLite database (issue 16): tables but neither
# newsgate's application_id nor its tables; also one with our version
# number and an "items" table.  An empty database and a store made
# before the application_id (id cleared here) still open.
if command -v sqlite3 > /dev/null; then
    sqlite3 "$T/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
    cp "$T/other.db" "$T/other.orig"
    refused "$T/other.db" "not a newsgate store"
    cmp -s "$T/other.db" "$T/other.orig" || fail "foreign database changed"
    sqlite3 "$T/v1.db" "PRAGMA user_version = 1; CREATE TABLE items(id);"
    refused "$T/v1.db" "not a newsgate store"
    sqlite3 "$T/app.db" "PRAGMA application_id = 7;"
    refused "$T/app.db" "application_id 7"
    sqlite3 "$T/empty.db" "CREATE TABLE t(x); DROP TABLE t;"
    echo "$item" | "$N" submit --db "$T/empty.db" > /dev/null \
        || fail "empty SQLite database refused"
    echo "$item" | "$N" submit --db "$T/old.db" > /dev/null || fail "create"
    sqlite3 "$T/old.db" "PRAGMA application_id = 0;"
    echo "$item" | "$N" submit --db "$T/old.db" > /dev/null
    [ $? -le 2 ] || fail "store without application_id refused"
else
    echo "foreign-database cases skipped: no sqlite3 shell"
fi
echo "refusals ok"
