#!/bin/sh
# store-crash.sh -- SIGKILL a `submit` of 8,000 items mid-stream: every id
# it printed is in the database afterwards and PRAGMA integrity_check is
# ok.  Needs the sqlite3 shell (skips without it).
set -u
N=$NEWSGATE_BIN
command -v sqlite3 > /dev/null || { echo "no sqlite3 shell"; exit 77; }
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
db=$T/q.db
awk 'BEGIN { for (i = 1; i <= 8000; i++)
    printf "{\"title\":\"Crash test story %d\",\"body\":\"Story %d: the committee met %d times this year and approved %d new rules, its chair said on Monday in a long statement.\",\"submitter\":\"s%d\"}\n", i, i, i % 97, i % 13, i % 50 }' > "$T/in"
: > "$T/out"
"$N" submit --db "$db" --format json "$T/in" > "$T/out" 2> "$T/err" &
pid=$!
i=0
while [ "$(wc -l < "$T/out")" -lt 600 ] && [ $i -lt 600 ]; do
    sleep 0.02; i=$((i + 1))
done
kill -9 $pid 2>/dev/null || fail "submit finished before it could be killed"
wait $pid 2>/dev/null
# Only complete lines count (the last may have been cut by the kill).
sed -n 's/^{"id":\([0-9]*\),.*}$/\1/p' "$T/out" | sort -n > "$T/printed"
n=$(wc -l < "$T/printed")
[ "$n" -ge 600 ] || fail "only $n ids printed before the kill"
[ "$n" -lt 8000 ] || fail "submit finished before the kill"
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
sqlite3 "$db" 'SELECT id FROM items ORDER BY id' > "$T/stored"
missing=$(comm -23 "$T/printed" "$T/stored" | wc -l)
[ "$missing" = 0 ] || fail "$missing printed ids are missing"
echo "killed after $n printed ids, $(wc -l < "$T/stored") stored; none lost; integrity ok"
# The database is usable afterwards.
echo '{"title":"After the crash","body":"Still works."}' | "$N" submit --db "$db" --format json | grep -q '^{"id":' || fail "submit after crash"
