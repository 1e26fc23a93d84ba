#!/bin/sh
# fault-locked.sh -- the store locked by another process (the sqlite3
# shell holding BEGIN IMMEDIATE) for longer than the busy timeout
# (NEWSGATE_BUSY_TIMEOUT=300 ms here; 30 s by default): submit fails with
# exit 75 and says the store was locked, nothing of the failed batch is
# stored, every id printed before is.  Twice: locked before submit
# starts, and locked between two batches of a submit fed through a FIFO.
# Afterwards the store takes submissions again.  An unusable
# NEWSGATE_BUSY_TIMEOUT is refused (exit 73).
set -u
N=$NEWSGATE_BIN
command -v sqlite3 > /dev/null || { echo "no sqlite3 shell"; exit 77; }
T=$(mktemp -d) || exit 70
holder=
feeder=
cleanup() {
    touch "$T/release"
    [ -n "$holder" ] && wait "$holder" 2>/dev/null
    [ -n "$feeder" ] && kill "$feeder" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
db=$T/q.db
"$N" submit --db "$db" --format json samples/batch.ndjson > /dev/null 2>&1
count() { sqlite3 "$db" 'SELECT count(*) FROM items'; }
[ "$(count)" = 2 ] || fail "set-up"
# Takes the write lock in another process until $T/release exists.
lock() {
    rm -f "$T/locked" "$T/release"
    printf 'BEGIN IMMEDIATE;\n.shell touch %s/locked\n.shell while [ ! -e %s/release ]; do sleep 0.05; done\nCOMMIT;\n' \
        "$T" "$T" | sqlite3 -cmd '.timeout 10000' "$db" &
    holder=$!
    i=0
    while [ ! -e "$T/locked" ]; do
        sleep 0.05; i=$((i + 1)); [ $i -lt 400 ] || fail "no lock"
    done
}
unlock() { touch "$T/release"; wait "$holder"; holder=; }
items() { # N PREFIX
    awk -v n="$1" -v p="$2" 'BEGIN { for (i = 1; i <= n; i++)
        printf "{\"title\":\"%s story %d\",\"body\":\"Story %d: the committee met on Monday and approved %d new rules.\"}\n", p, i, i, i % 13 }'
}

# 1. Locked before submit starts.
lock
items 5 Early > "$T/in1"
NEWSGATE_BUSY_TIMEOUT=300 "$N" submit --db "$db" --format json "$T/in1" \
    > "$T/out1" 2> "$T/err1"
st=$?
[ $st = 75 ] || fail "locked store: exit $st: $(cat "$T/err1")"
grep -q "^newsgate: $db: begin: database is locked" "$T/err1" \
    || fail "message: $(cat "$T/err1")"
grep -q "the store stayed locked by another process past the busy timeout" "$T/err1" \
    || fail "message: $(cat "$T/err1")"
[ -s "$T/out1" ] && fail "printed while locked: $(cat "$T/out1")"
unlock
[ "$(count)" = 2 ] || fail "$(count) items after a locked submit"
echo "locked before: exit 75, nothing stored; $(head -1 "$T/err1")"

# 2. Locked between batches: 256 items make a batch, which commits and
# prints; the lock is then taken while submit waits for more input.
mkfifo "$T/fifo"
NEWSGATE_BUSY_TIMEOUT=300 "$N" submit --db "$db" --format json < "$T/fifo" \
    > "$T/out2" 2> "$T/err2" &
sub=$!
exec 3> "$T/fifo"
items 256 Middle >&3
i=0
while [ "$(wc -l < "$T/out2")" -lt 256 ]; do
    sleep 0.05; i=$((i + 1)); [ $i -lt 600 ] || fail "first batch not printed"
done
lock
items 20 Late >&3
exec 3>&-
wait $sub
st=$?
[ $st = 75 ] || fail "locked between batches: exit $st: $(cat "$T/err2")"
unlock
sed -n 's/^{"id":\([0-9]*\),.*}$/\1/p' "$T/out2" | sort -n > "$T/printed"
sqlite3 "$db" 'SELECT id FROM items WHERE id > 2 ORDER BY id' | sort -n > "$T/stored"
cmp -s "$T/printed" "$T/stored" \
    || fail "printed and stored differ: $(wc -l < "$T/printed") printed, $(wc -l < "$T/stored") stored"
[ "$(wc -l < "$T/printed")" = 256 ] || fail "$(wc -l < "$T/printed") printed"
echo "locked between batches: exit 75, the 256 printed stored, the 20 after not"

# 3. The store works again; a bad NEWSGATE_BUSY_TIMEOUT is refused.
items 1 After | "$N" submit --db "$db" --format json > "$T/out3" 2>&1
st=$?
[ $st -le 2 ] && grep -q '^{"id":' "$T/out3" \
    || fail "submit after the lock: exit $st: $(cat "$T/out3")"
items 1 Bad | NEWSGATE_BUSY_TIMEOUT=soon "$N" submit --db "$db" > /dev/null 2> "$T/err3"
st=$?
[ $st = 73 ] && grep -q "NEWSGATE_BUSY_TIMEOUT: 'soon' is not a number" "$T/err3" \
    || fail "bad NEWSGATE_BUSY_TIMEOUT: exit $st: $(cat "$T/err3")"
echo "afterwards: submit works; NEWSGATE_BUSY_TIMEOUT=soon refused (73)"
