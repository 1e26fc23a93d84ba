#!/bin/sh
# rate-limit-received.sh -- history windows count by the time the store
# received items, so a flood back-dated with old submitted_at values is
# still caught; item:history{detail = true} splits the counts by status
# (moderator decisions apart) and tells whether the submitter was seen.
set -u
cd "$(dirname "$0")/../.." || exit 70
N=$NEWSGATE_BIN
R=tests/cli/data/rate/rules
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
db=$T/q.db
fail=0
bad() { printf 'FAIL: %s\n' "$*"; fail=1; }

# Five items, each claiming to be two days older than the one before: no
# two of them are within an hour of each other by submitted_at.
for i in 1 2 3 4 5; do
    printf '{"title":"Offer %d","body":"Buy now.","submitter":"spammer","submitted_at":"2024-0%d-0%dT10:00:00Z"}\n' \
        "$i" "$i" "$i"
done > "$T/flood.ndjson"
"$N" submit --db "$db" --rules $R --format json "$T/flood.ndjson" > "$T/out" 2> "$T/err"
[ $? -le 2 ] || { cat "$T/err"; bad "submit"; }
# Items 1-3 see 0, 1, 2 earlier items; 4 and 5 see 3 and 4.
for id in 1 2 3; do
    grep "^{\"id\":$id," "$T/out" | grep -q '"rule":"FLOOD"' && bad "item $id flagged too early"
done
grep '^{"id":4,' "$T/out" | grep -q '"detail":"3 in the last hour"' || bad "back-dated item 4 not caught: $(cat "$T/out")"
grep '^{"id":5,' "$T/out" | grep -q '"detail":"4 in the last hour"' || bad "back-dated item 5 not caught"
grep '^{"id":5,' "$T/out" | grep -q '"action":"review"' || bad "flood held for review"
echo "ok: back-dated flood caught by received time"

# Reputation: moderator decisions are counted apart.
"$N" queue approve 4 --db "$db" --by mod --note ok --format json > /dev/null || bad "approve"
"$N" queue reject 1 2 --db "$db" --by mod --reason spam --format json > /dev/null 2>&1 || bad "reject"
echo '{"title":"Offer 6","body":"Buy now.","submitter":"spammer"}' |
    "$N" check --db "$db" --rules $R --format json > "$T/c"
# 3 accepted automatically, 5 held for review, 4 approved, 1 and 2
# rejected by a moderator.
grep -q '"detail":"total=5 accepted=1 review=1 rejected=0 approved=1 moderator_rejected=2 published=0 seen=yes"' "$T/c" ||
    bad "history detail: $(cat "$T/c")"
echo '{"title":"Hello","body":"First post.","submitter":"newcomer"}' |
    "$N" check --db "$db" --rules $R --format json > "$T/c2"
grep -q '"detail":"total=0 accepted=0 review=0 rejected=0 approved=0 moderator_rejected=0 published=0 seen=no"' "$T/c2" ||
    bad "newcomer: $(cat "$T/c2")"
echo "ok: history by status and first seen"
exit $fail
