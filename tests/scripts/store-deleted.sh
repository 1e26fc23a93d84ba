#!/bin/sh
# store-deleted.sh -- delete the database files while `submit` runs: SQLite
# goes on committing into the unlinked files and reports success, so
# before issue 16 submit printed thousands of ids stored nowhere and
# exited 0.  Now the first commit after the delete fails (exit 74, a
# message saying what happened) and nothing after it is printed: at most
# the one batch (256 items) whose commit preceded the delete is printed
# after it.
set -u
N=$NEWSGATE_BIN
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
db=$T/q.db
awk 'BEGIN { for (i = 1; i <= 8000; i++)
    printf "{\"title\":\"Deleted store story %d\",\"body\":\"Story %d: the committee met %d times this year and approved %d new rules, its chair said on Monday.\",\"submitter\":\"s%d\"}\n", i, i, i % 97, i % 13, i % 50 }' > "$T/in"
: > "$T/out"
"$N" submit --db "$db" --format json "$T/in" > "$T/out" 2> "$T/err" &
pid=$!
i=0
while [ "$(wc -l < "$T/out")" -lt 300 ] && [ $i -lt 600 ]; do
    sleep 0.02; i=$((i + 1))
done
rm -f "$db" "$db-wal" "$db-shm"
before=$(wc -l < "$T/out")
wait $pid
st=$?
after=$(wc -l < "$T/out")
[ "$before" -lt 8000 ] || fail "submit finished before the delete"
[ $st = 74 ] || fail "exit $st after the database was deleted, expected 74 ($after ids printed, $before at the delete)"
grep -q "database file was deleted or replaced" "$T/err" \
    || fail "message: $(cat "$T/err")"
[ $((after - before)) -le 256 ] \
    || fail "$((after - before)) ids printed after the delete"
echo "deleted at $before printed ids; $((after - before)) more printed; exit 74: $(head -1 "$T/err")"
