#!/bin/sh
# submit-pipeline.sh -- `submit` checks items ahead on checker threads
# (cli_pipe.c) and files them in order; its output must be what
# checking and filing one item after another gives, with one checker and
# with three (NEWSGATE_CHECKERS=1 and 4: it counts the filer; checks then
# end out of order, even on one core).  One stream of 45 BBC
# articles (more than the pipeline holds), with an exact copy right after
# its original (checked ahead before the original is filed), a repeated
# external_id and a near copy, goes through one `submit`; the same items
# go through one `submit` process each (one item: no second thread) into
# another store.  Verdicts, ids and exit status must agree (timings
# aside), and the stored rows too.  Then a store error (a trigger refusing
# one item) must stop there as before: exit 74, the items before it filed
# and printed, those read ahead after it neither.
bin=${NEWSGATE_BIN:?}
rules=${NEWSGATE_RULES:?}
data=${NEWSGATE_SHARED:-../shared/data}/bbc
[ -d "$data" ] || { echo "skip: $data absent"; exit 77; }
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
find "$data" -name '*.txt' ! -name 'README*' | LC_ALL=C sort | head -n 40 \
    > "$tmp/files"
python3 - "$tmp/files" > "$tmp/in.ndjson" <<'PY'
import json, sys
items = []
for i, path in enumerate(open(sys.argv[1]).read().split()):
    text = open(path, encoding="latin-1").read().strip().split("\n", 1)
    items.append({"title": text[0].strip(), "external_id": "x%d" % i,
                  "body": text[1].strip() if len(text) > 1 else ""})
out = list(items)
out.insert(4, dict(items[3], external_id="copy3"))      # exact copy, next
out.insert(9, dict(items[0]))                           # external_id again
out.insert(20, dict(items[15], external_id="near15",
                    body=items[15]["body"] + " One more line."))
out.append(dict(items[30], external_id="late30"))
out.append(dict(items[31], external_id="late31"))
for it in out:
    print(json.dumps(it))
PY
norm() { sed 's/"timings_us":{[^}]*}//; s/"input":"[^"]*","item":[0-9]*,//'; }
b=0
while IFS= read -r line; do
    printf '%s\n' "$line" | "$bin" submit --db "$tmp/b.db" --rules "$rules" \
        --format json >> "$tmp/b.raw" 2>/dev/null
    rc=$?
    [ $rc -gt $b ] && b=$rc
done < "$tmp/in.ndjson"
norm < "$tmp/b.raw" > "$tmp/b.out"
q='SELECT id, external_id, status, action, score FROM items ORDER BY id'
sqlite3 "$tmp/b.db" "$q" > "$tmp/b.rows"
fail=0
for k in 4 1; do
    rm -f "$tmp"/a.db*
    NEWSGATE_CHECKERS=$k "$bin" submit --db "$tmp/a.db" --rules "$rules" \
        --format json "$tmp/in.ndjson" > "$tmp/a.raw" 2>/dev/null
    a=$?
    norm < "$tmp/a.raw" > "$tmp/a.out"
    n=$(grep -c '"id"' "$tmp/a.out")
    [ "$n" -eq 45 ] || { echo "FAIL: $n lines from the pipelined submit (NEWSGATE_CHECKERS=$k)"; fail=1; }
    grep -q '"rule":"SAME_TEXT"' "$tmp/a.out" \
        || { echo "FAIL: the copy checked ahead was not caught (NEWSGATE_CHECKERS=$k)"; fail=1; }
    grep -q '"existing":true' "$tmp/a.out" \
        || { echo "FAIL: the repeated external_id was not found (NEWSGATE_CHECKERS=$k)"; fail=1; }
    if ! diff "$tmp/b.out" "$tmp/a.out" > "$tmp/diff"; then
        echo "FAIL: pipelined submit (NEWSGATE_CHECKERS=$k) differs from one item at a time:"
        head -n 20 "$tmp/diff"; fail=1
    fi
    sqlite3 "$tmp/a.db" "$q" > "$tmp/a.rows"
    cmp -s "$tmp/a.rows" "$tmp/b.rows" \
        || { echo "FAIL: stored rows differ (NEWSGATE_CHECKERS=$k)"; fail=1; }
    # The exit status is the worst outcome, as one item at a time.
    [ "$a" -eq "$b" ] && [ "$a" -ge 2 ] \
        || { echo "FAIL: exit $a (NEWSGATE_CHECKERS=$k), one at a time $b, want the same, >= 2"; fail=1; }
done
# A store error stops at the item that failed: the items read and checked
# ahead of it are neither filed nor printed (as unread items before).
python3 - "$tmp/in.ndjson" > "$tmp/boom.ndjson" <<'PY'
import json, sys
items = [json.loads(l) for l in open(sys.argv[1]).read().split("\n")[:40]]
for i, it in enumerate(items):    # new external_ids: each one is filed
    it["external_id"] = "boom%d" % i
items[30] = {"title": "BOOM", "body": "boom " * 50}
for it in items:
    print(json.dumps(it))
PY
sqlite3 "$tmp/a.db" "CREATE TRIGGER boom BEFORE INSERT ON items WHEN
    new.title = 'BOOM'
    BEGIN SELECT RAISE(ABORT, 'boom'); END;"
before=$(sqlite3 "$tmp/a.db" 'SELECT count(*) FROM items')
"$bin" submit --db "$tmp/a.db" --rules "$rules" --format json \
    "$tmp/boom.ndjson" > "$tmp/boom.out" 2> "$tmp/boom.err"
rc=$?
after=$(sqlite3 "$tmp/a.db" 'SELECT count(*) FROM items')
[ $rc -eq 74 ] || { echo "FAIL: store error exit $rc, want 74"; fail=1; }
[ "$(grep -c . "$tmp/boom.out")" -eq 30 ] \
    || { echo "FAIL: $(grep -c . "$tmp/boom.out") lines before the error, want 30"; fail=1; }
grep -q ' 31 items: ' "$tmp/boom.err" \
    || { echo "FAIL: summary:"; cat "$tmp/boom.err"; fail=1; }
# The 30 before it are filed (their batch commits); none after it.
[ "$after" -eq $((before + 30)) ] \
    || { echo "FAIL: $before items before, $after after"; fail=1; }
# Input that pauses after one, two or three items (fewer than wake a
# waiting checker): each pause files what was read (the idle hook), and
# nothing waits for ever (timeout: a hang fails the test).
for k in 1 4; do
    rm -f "$tmp"/t.db*
    { for n in 1 2 3 1 2 3; do
          head -n $((n * 3)) "$tmp/in.ndjson" | tail -n "$n"; sleep 0.2
      done; } | NEWSGATE_CHECKERS=$k timeout 120 "$bin" submit \
        --db "$tmp/t.db" --rules "$rules" --format json > "$tmp/t.out" 2>/dev/null
    rc=$?
    n=$(grep -c '"id"' "$tmp/t.out")
    [ $rc -le 2 ] && [ "$n" -eq 12 ] \
        || { echo "FAIL: paused input (NEWSGATE_CHECKERS=$k): exit $rc, $n lines, want 12"; fail=1; }
done
[ $fail -eq 0 ] && echo "45 items: pipelined submit (1 and 3 checkers) = one at a time; stop after a store error; paused input"
exit $fail
