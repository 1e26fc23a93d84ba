#!/bin/sh
# fault-signal.sh -- SIGTERM and SIGINT while `submit` files a batch of
# 8,000 items.  submit installs no handler: the signal ends it (status
# 128 + the signal: 143, 130), the batch being checked is rolled back by
# SQLite, and since a batch's ids are printed only after its commit,
# everything printed is stored.  Checked: the exit status, every printed
# id stored, at most one batch (256) stored beyond the printed ones (a
# signal between a commit and its printing), no item stored in part,
# integrity_check ok, and the store takes a submission afterwards.
set -u
N=$NEWSGATE_BIN
command -v sqlite3 > /dev/null || { echo "no sqlite3 shell"; exit 77; }
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
awk 'BEGIN { for (i = 1; i <= 8000; i++)
    printf "{\"title\":\"Signal story %d\",\"body\":\"Story %d: the committee met %d times this year and approved %d new rules, its chair said on Monday.\",\"submitter\":\"s%d\"}\n", i, i, i % 97, i % 13, i % 50 }' > "$T/in"
for pair in TERM:15 INT:2; do
    sig=${pair%:*}
    db=$T/$sig.db
    : > "$T/out"
    # A shell starts background jobs with SIGINT ignored; give it back.
    env --default-signal=INT "$N" submit --db "$db" --format json "$T/in" \
        > "$T/out" 2> "$T/err" &
    pid=$!
    i=0
    while [ "$(wc -l < "$T/out")" -lt 300 ] && [ $i -lt 600 ]; do
        sleep 0.02; i=$((i + 1))
    done
    kill -$sig $pid 2>/dev/null || fail "$sig: submit finished first"
    wait $pid
    st=$?
    want=$((128 + ${pair#*:}))
    [ $st = $want ] || fail "$sig: exit $st, expected $want"
    sed -n 's/^{"id":\([0-9]*\),.*}$/\1/p' "$T/out" | sort -n > "$T/printed"
    n=$(wc -l < "$T/printed")
    [ "$n" -lt 8000 ] || fail "$sig: submit finished before the signal"
    [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "$sig: integrity"
    sqlite3 "$db" 'SELECT id FROM items ORDER BY id' | sort -n > "$T/stored"
    lost=$(comm -23 "$T/printed" "$T/stored" | wc -l)
    [ "$lost" = 0 ] || fail "$sig: $lost printed ids not stored"
    extra=$(comm -13 "$T/printed" "$T/stored" | wc -l)
    [ "$extra" -le 256 ] || fail "$sig: $extra stored ids never printed"
    partial=$(sqlite3 "$db" "SELECT count(*) FROM items i WHERE verdict IS NULL
        OR NOT EXISTS (SELECT 1 FROM audit a WHERE a.item_id = i.id)")
    [ "$partial" = 0 ] || fail "$sig: $partial items stored in part"
    echo '{"title":"After the signal","body":"Still works."}' \
        | "$N" submit --db "$db" --format json | grep -q '^{"id":' \
        || fail "$sig: submit afterwards"
    echo "SIG$sig: exit $st after $n printed ids; $(wc -l < "$T/stored") stored, $extra unprinted; integrity ok"
done
