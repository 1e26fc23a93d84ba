#!/bin/sh
# store-pg.sh -- the PostgreSQL backend, on a throwaway cluster (initdb +
# pg_ctl on a Unix socket in a temporary directory, as an unprivileged
# user; tests/tools/pgcluster.sh), one cluster for every case here:
#   1. the store contract and the store's API tests (tests/unit/
#      test_store_ops.c, test_store.c) against PostgreSQL;
#   2. two submit processes on one database, external ids overlapping:
#      every item stored exactly once;
#   3. the same texts raced through two submit processes, and through two
#      servers: exactly one of each pair accepted, the other rejected as
#      SAME_TEXT of it; and one writer after the other (the brake never
#      switches SAME_TEXT off);
#   4. a near-copy sent to a running server B right after the original
#      went in through process A is flagged against A's item;
#      and items learned as spam through A move B's learner;
#   5. four publishers claiming at once never get the same item;
#   6. PostgreSQL restarted mid-stream: every id a submit printed is
#      stored, the submit exits 74 while the database is down, and a
#      running server answers 503 then recovers.
# Skips (77) only when PostgreSQL is not installed.
set -u
cd "$(dirname "$0")/../.." || exit 70
N=${NEWSGATE_BIN:-$PWD/newsgate}
B=${BUILD:-build}
. tests/tools/pgcluster.sh
. tests/tools/story.sh
T=$(mktemp -d) || exit 70
spid=
spid2=
cleanup() { [ -n "$spid" ] && kill $spid 2>/dev/null; [ -n "$spid2" ] && kill $spid2 2>/dev/null; wait 2>/dev/null; pg_stop; rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 1' INT TERM   # so a killed run still stops its cluster
fail() { echo "FAIL: $*"; [ -n "${PGT:-}" ] && tail -5 "$PGT/server.log"; exit 1; }
pg_start; rc=$?
[ $rc = 77 ] && exit 77
[ $rc = 0 ] || fail "cannot start PostgreSQL"

ids_of() { sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$@"; }

# ---- 1. contract ---------------------------------------------------------
for d in contract show memo submit_files_status_verdict_audit \
         list_pages_counts_and_says_why external_id_is_idempotent \
         batch_rollback_and_commit decisions_stick claim_ack_release_lease \
         history_counts_for_rules; do
    pg_newdb ng_$d > /dev/null || fail "createdb"
done
for t in test_store_ops test_store; do
    NEWSGATE_TEST_PGHOST=$PGT CK_VERBOSITY=minimal "$B/tests/$t" \
        > "$T/contract" 2>&1 || { cat "$T/contract"; fail "$t on PostgreSQL"; }
    echo "ok: $t on PostgreSQL: $(tail -1 "$T/contract")"
done

# ---- 2. two writers, overlapping external ids -----------------------------
db=$(pg_newdb q2) || fail createdb
story a 300 shared > "$T/a"
story a 300 shared > "$T/b"      # the same 300 external ids again
story b 200 own-b >> "$T/b"
"$N" submit --db "$db" --format json "$T/a" > "$T/outa" 2> "$T/erra" &
p1=$!
"$N" submit --db "$db" --format json "$T/b" > "$T/outb" 2> "$T/errb" &
p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
[ "$(wc -l < "$T/outa")" = 300 ] || fail "writer a: $(head -3 "$T/erra")"
[ "$(wc -l < "$T/outb")" = 500 ] || fail "writer b: $(head -3 "$T/errb")"
ids_of "$T/outa" "$T/outb" | sort -n | uniq > "$T/ids"
[ "$(wc -l < "$T/ids")" = 500 ] || fail "$(wc -l < "$T/ids") distinct ids, expected 500"
# NEWSGATE_DB selects the database as --db does.
NEWSGATE_DB=$db "$N" queue list --limit 100000 --format json | grep -o '"id":[0-9]*' \
    | sed 's/"id"://' | sort -n > "$T/stored"
cmp -s "$T/ids" "$T/stored" || fail "stored ids differ from printed ids"
echo "ok: two writers, 800 submissions with 300 shared external ids: 500 stored once (exits $r1 $r2)"

# ---- 3. exact duplicates raced -------------------------------------------
db=$(pg_newdb q3) || fail createdb
story r 150 > "$T/r"
"$N" submit --db "$db" --format json "$T/r" > "$T/r1" 2> "$T/re1" &
p1=$!
"$N" submit --db "$db" --format json "$T/r" > "$T/r2" 2> "$T/re2" &
p2=$!
wait $p1; wait $p2
[ "$(wc -l < "$T/r1")" = 150 ] && [ "$(wc -l < "$T/r2")" = 150 ] \
    || fail "race writers: $(head -3 "$T/re1" "$T/re2")"
"$N" queue list --db "$db" --limit 100000 --format json \
    | grep -o '"status":"[a-z]*","action":"[a-z]*","score":[0-9.]*,"title":"[^"]*"' \
    > "$T/rows"
[ "$(wc -l < "$T/rows")" = 300 ] || fail "$(wc -l < "$T/rows") rows, expected 300"
acc=$(grep -c '"status":"accepted"' "$T/rows")
[ "$acc" = 150 ] || fail "$acc accepted of 150 raced pairs"
grep '"status":"accepted"' "$T/rows" | sed 's/.*"title"://' | sort | uniq -d > "$T/twice"
[ -s "$T/twice" ] && fail "accepted twice: $(head -3 "$T/twice")"
rej=$("$N" queue list --db "$db" --rule SAME_TEXT --limit 100000 --format json | grep -o '"id":' | wc -l)
[ "$rej" = 150 ] || fail "$rej items flagged SAME_TEXT, expected 150"
echo "ok: 150 texts raced through two writers: 150 accepted, 150 SAME_TEXT"
# The same texts by one writer after the other, on a new database: the
# second rejects every one as SAME_TEXT.  This is how the race above
# failed under load (one writer ~100 items late): its brake, seeded with
# the first writer's misses, saw SAME_TEXT hit 50 of its last 100 and
# switched it to shadow mode, and its remaining copies were accepted
# (101 of 150 here, before SAME_TEXT said brake = false).
db=$(pg_newdb q3b) || fail createdb
"$N" submit --db "$db" --format json "$T/r" > /dev/null 2> "$T/re3" \
    || fail "first writer: $(tail -1 "$T/re3")"
"$N" submit --db "$db" --format json "$T/r" > "$T/r3" 2> "$T/re3"
[ "$(grep -c '"forced":{"action":"reject","rule":"SAME_TEXT"}' "$T/r3")" = 150 ] \
    || fail "second writer after the first: $(grep -c '"action":"accept"' "$T/r3") of 150 copies accepted"
acc=$("$N" queue list --db "$db" --status accepted --limit 100000 --format json | grep -o '"id":' | wc -l)
[ "$acc" = 150 ] || fail "$acc accepted of 150 texts submitted twice"
echo "ok: 150 texts submitted twice in turn: 150 accepted, 150 SAME_TEXT"

# ---- 4. near-copy caught by a running server ------------------------------
db=$(pg_newdb q4) || fail createdb
db4=$db
"$N" serve --listen 127.0.0.1:0 --db "$db" --rules rules --threads 2 \
    2> "$T/serve.log" &
spid=$!
i=0
while ! port=$(sed -n 's/.*listening on http:\/\/[0-9.]*:\([0-9]*\).*/\1/p' "$T/serve.log") \
      || [ -z "$port" ]; do
    i=$((i + 1)); [ $i -gt 1000 ] && fail "server did not start: $(cat "$T/serve.log")"
    sleep 0.01
done
post() { curl -s -o "$T/resp" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary @"$1" "http://127.0.0.1:$port/v1/items"; }
story warm 1 > "$T/warm"
[ "$(post "$T/warm")" = 201 ] || fail "server B: $(cat "$T/resp")"   # B's index is loaded
orig='The regional water board confirmed on Tuesday that the reservoir near the old quarry will be drained next spring so engineers can repair the cracked dam wall, a project expected to cost four million pounds and take eighteen months, while farmers downstream have been promised temporary supplies from two new boreholes.'
printf '{"title":"Reservoir to be drained for dam repair","body":"%s","submitter":"ann"}\n' "$orig" > "$T/orig"
"$N" submit --db "$db" --format json "$T/orig" > "$T/origout" || fail "process A"
aid=$(ids_of "$T/origout")
near=$(echo "$orig" | sed 's/next spring/in the spring/; s/two new boreholes/a pair of new boreholes/')
printf '{"title":"Reservoir drained for dam repair","body":"%s","submitter":"bob"}\n' "$near" > "$T/near"
[ "$(post "$T/near")" = 201 ] || fail "server B: $(cat "$T/resp")"
grep -q "\"rule\":\"NEAR_DUPLICATE\"[^}]*#$aid " "$T/resp" \
    || fail "near-copy not flagged against #$aid: $(head -c 600 "$T/resp")"
echo "ok: near-copy sent to server B flagged against process A's #$aid"

# ---- 4a. exact duplicates raced through two servers ------------------------
"$N" serve --listen 127.0.0.1:0 --db "$db4" --rules rules --threads 2 \
    2> "$T/serve2.log" &
spid2=$!
i=0
while ! port2=$(sed -n 's/.*listening on http:\/\/[0-9.]*:\([0-9]*\).*/\1/p' "$T/serve2.log") \
      || [ -z "$port2" ]; do
    i=$((i + 1)); [ $i -gt 1000 ] && fail "server A did not start: $(cat "$T/serve2.log")"
    sleep 0.01
done
story d 40 > "$T/d"
send() { # port: posts the items of $T/d one a request, prints the codes
    while read -r line; do
        printf '%s\n' "$line" > "$T/one$1"
        curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' \
            --data-binary @"$T/one$1" "http://127.0.0.1:$1/v1/items"
    done < "$T/d"
}
send "$port" > "$T/codes1" &
c1=$!
send "$port2" > "$T/codes2" &
c2=$!
wait $c1 $c2
kill $spid2; wait $spid2 2>/dev/null
[ "$(grep -c '^201$' "$T/codes1" "$T/codes2" | awk -F: '{ s += $2 } END { print s }')" = 80 ] \
    || fail "raced posts: $(sort "$T/codes1" "$T/codes2" | uniq -c)"
"$N" queue list --db "$db4" --limit 100000 --format json \
    | grep -o '"status":"[a-z]*","action":"[a-z]*","score":[0-9.]*,"title":"Story d [0-9]*"' \
    > "$T/drows"
dacc=$(grep -c '"status":"accepted"' "$T/drows")
dsame=$("$N" queue list --db "$db4" --rule SAME_TEXT --limit 100000 --format json \
        | grep -o '"title":"Story d [0-9]*"' | wc -l)
[ "$dacc" = 40 ] && [ "$dsame" = 40 ] \
    || fail "40 texts through two servers: $dacc accepted, $dsame SAME_TEXT"
echo "ok: 40 texts raced through two servers: 40 accepted, 40 SAME_TEXT"

# ---- 4b. the learner caught up by a running server ------------------------
spam_items() { # count
    awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++)
        printf "{\"title\":\"Earn cash %d\",\"body\":\"Make money online with this amazing system number %d, guaranteed returns every week, passive income, click here to join now and win prize %d.\"}\n", i, i, i }'
}
spam_items 1 | sed 's/Earn cash 1/Earn cash today/; s/number 1,/number 99,/; s/prize 1\./prize 77./' > "$T/probe"
chk() { curl -s -H 'Content-Type: application/json' --data-binary @"$T/probe" \
    "http://127.0.0.1:$port/v1/check"; }
chk | grep -q '"rule":"BAYES_' && fail "learner fired before it was trained"
spam_items 12 > "$T/spam"
story h 12 > "$T/ham"
"$N" learn spam --db "$db" "$T/spam" > /dev/null || fail "learn spam"
"$N" learn ham --db "$db" "$T/ham" > /dev/null || fail "learn ham"
chk > "$T/probed"
grep -q '"rule":"BAYES_' "$T/probed" \
    || fail "server B's learner did not catch up: $(head -c 400 "$T/probed")"
echo "ok: spam learned through process A is used by running server B"

# ---- 5. four publishers --------------------------------------------------
db=$(pg_newdb q5) || fail createdb
story p 120 > "$T/p"
"$N" submit --db "$db" --format json "$T/p" > /dev/null 2>&1
navail=$("$N" queue list --db "$db" --status accepted --limit 100000 --format json | grep -o '"id":' | wc -l)
[ "$navail" -ge 100 ] || fail "only $navail accepted items to claim"
cpids=
for k in 1 2 3 4; do
    ( while id=$("$N" queue claim --db "$db" --by pub$k --lease 600 2>/dev/null) && [ -n "$id" ]; do
          echo "$id"
      done > "$T/claims$k" ) &
    cpids="$cpids $!"
done
wait $cpids
cat "$T"/claims? | sort -n > "$T/claimed"
[ "$(wc -l < "$T/claimed")" = "$navail" ] || fail "$(wc -l < "$T/claimed") claims of $navail items"
[ -z "$(uniq -d "$T/claimed")" ] || fail "an item was handed out twice: $(uniq -d "$T/claimed" | head -3)"
echo "ok: four publishers claimed $navail items, none twice ($(wc -l < "$T/claims1") $(wc -l < "$T/claims2") $(wc -l < "$T/claims3") $(wc -l < "$T/claims4"))"

# ---- 6. restart mid-run ---------------------------------------------------
db=$(pg_newdb q6) || fail createdb
story x 20000 > "$T/x"
"$N" submit --db "$db" --format json "$T/x" > "$T/xout" 2> "$T/xerr" &
sp=$!
# Meanwhile a client posts to server B, one item a request, and notes
# the answers.
story z 250 > "$T/z"
( while read -r line; do
      printf '%s\n' "$line" > "$T/one"
      code=$(curl -s -o "$T/zr" -w '%{http_code}' -H 'Content-Type: application/json' \
             --data-binary @"$T/one" "http://127.0.0.1:$port/v1/items")
      echo "$code $(ids_of "$T/zr")"
  done < "$T/z" > "$T/zlog" ) &
zp=$!
sleep 1
pg_stopdb || fail "pg_ctl stop"
wait $sp; xr=$?
# 75: NG_EBUSY mid-run (the server went away), nothing of the batch stored.
[ "$xr" = 74 ] || [ "$xr" = 75 ] || [ "$xr" = 0 ] || fail "submit exited $xr: $(tail -2 "$T/xerr")"
printed=$(ids_of "$T/xout" | wc -l)
# While it is down: the CLI exits 74, the server answers 503.
"$N" submit --db "$db" --format json "$T/warm" > /dev/null 2>&1; down=$?
[ "$down" = 74 ] || fail "submit with the database down exited $down, expected 74"
code=$(post "$T/warm")
[ "$code" = 503 ] || fail "server with the database down answered $code: $(cat "$T/resp")"
pg_startdb || fail "pg_ctl start"
sleep 0.2
code=$(post "$T/warm"); [ "$code" = 503 ] && { sleep 6; code=$(post "$T/warm"); }
[ "$code" = 201 ] || [ "$code" = 200 ] || fail "server after restart answered $code: $(cat "$T/resp")"
# The HTTP workers' read-only connections reconnect too (/v1/check reads
# through them).
code=$(curl -s -o "$T/resp" -w '%{http_code}' -H 'Content-Type: application/json' \
       --data-binary @"$T/probe" "http://127.0.0.1:$port/v1/check")
[ "$code" = 200 ] || { sleep 6; code=$(curl -s -o "$T/resp" -w '%{http_code}' \
    -H 'Content-Type: application/json' --data-binary @"$T/probe" \
    "http://127.0.0.1:$port/v1/check"); }
[ "$code" = 200 ] && grep -q '"rule":"BAYES_' "$T/resp" \
    || fail "check after restart answered $code: $(head -c 300 "$T/resp")"
wait $zp
ok201=$(grep -c '^201 ' "$T/zlog"); n503=$(grep -c '^503' "$T/zlog")
sed -n 's/^201 \([0-9]*\)$/\1/p' "$T/zlog" | sort > "$T/zids"
"$N" queue list --db "$db4" --limit 100000 --format json | grep -o '"id":[0-9]*' \
    | sed 's/"id"://' | sort > "$T/zstored"
zmiss=$(comm -23 "$T/zids" "$T/zstored" | wc -l)
[ "$zmiss" = 0 ] || fail "$zmiss ids answered 201 by the server are not stored"
[ "$(wc -l < "$T/zids")" = "$ok201" ] || fail "a 201 without an id"
echo "ok: server B during the restart: $ok201 answered 201, all stored; $n503 answered 503"
ids_of "$T/xout" | sort > "$T/xids"   # comm wants the text order
"$N" queue list --db "$db" --limit 100000 --format json | grep -o '"id":[0-9]*' \
    | sed 's/"id"://' | sort > "$T/xstored"
missing=$(comm -23 "$T/xids" "$T/xstored" | wc -l)
[ "$missing" = 0 ] || fail "$missing printed ids not stored"
echo "ok: restart mid-stream: $printed ids printed before the stop, all stored (submit exited $xr); down: CLI 74, server 503; server recovered"
