#!/bin/sh
# store-concurrent.sh -- four processes submit 400 items each into one
# new database at the same time: all succeed, none reports "database is
# locked", every item is stored once and every printed id is distinct.
set -u
N=$NEWSGATE_BIN
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
db=$T/q.db
for p in 1 2 3 4; do
    awk -v p=$p 'BEGIN { for (i = 1; i <= 400; i++)
        printf "{\"title\":\"Writer %d story %d\",\"body\":\"Report %d from writer %d: the council met on day %d and agreed %d measures, officials said.\",\"submitter\":\"w%d\",\"external_id\":\"w%d-%d\"}\n", p, i, i, p, i, i * p, p, p, i }' > "$T/in$p"
done
for p in 1 2 3 4; do
    "$N" submit --db "$db" --format json "$T/in$p" > "$T/out$p" 2> "$T/err$p" &
done
st=0
for p in 1 2 3 4; do
    wait %$p 2>/dev/null || true
done
wait
for p in 1 2 3 4; do
    if grep -qi "locked\|busy" "$T/err$p"; then fail "writer $p: $(cat "$T/err$p")"; fi
    [ "$(grep -c '^{"id":[0-9]*,' "$T/out$p")" = 400 ] || fail "writer $p printed $(wc -l < "$T/out$p") lines: $(head -3 "$T/err$p")"
done
cat "$T"/out? | sed -n 's/^{"id":\([0-9]*\),.*/\1/p' | sort -n | uniq > "$T/ids"
[ "$(wc -l < "$T/ids")" = 1600 ] || fail "$(wc -l < "$T/ids") distinct ids, expected 1600"
"$N" queue list --db "$db" --limit 100000 --format json | grep -o '"id":[0-9]*' | sed 's/"id"://' | sort -n > "$T/stored"
cmp -s "$T/ids" "$T/stored" || fail "stored ids differ from printed ids"
echo "4 writers x 400 items: all stored"
