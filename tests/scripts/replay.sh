#!/bin/sh
# replay.sh -- `newsgate replay` end to end: a replay with the same rules
# changes nothing and never flags an item as a duplicate of itself or of
# a later item; a changed rule flips an item's action, --apply files it
# and leaves the moderator's decision untouched; agreement with the
# moderators is counted per rule; JSON and text forms.
set -u
N=$NEWSGATE_BIN
R=$NEWSGATE_RULES
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
db=$T/q.db
fail() { echo "FAIL: $*"; exit 1; }

body="The harbour town of Kellan Bay opened a community library on Saturday, the first new public library there in more than a hundred years. Volunteers spent eighteen months restoring a former net store on the quay, paid for by a local appeal. The mayor said the building would also host evening classes and a weekly advice service, and that it would open six days a week."
other="Rail fares will rise by four percent in January, the operators announced on Monday, blaming higher energy costs. Passenger groups called the rise unfair after a year of cancellations and said that season ticket holders would pay hundreds more. The minister said that the increase was below inflation and that new trains would still be bought as planned, library of rolling stock and all."
cat > "$T/in.ndjson" <<JSON
{"title":"Kellan Bay opens a library","body":"$body","url":"https://news.example.org/library","submitter":"ann"}
{"title":"Rail fares to rise in January","body":"$other","url":"https://news.example.org/fares","submitter":"bob"}
{"title":"Library opens in Kellan Bay","body":"$body","url":"https://news.example.org/library","submitter":"cy"}
JSON
"$N" submit --db "$db" --format json "$T/in.ndjson" > "$T/sub" 2>&1
grep -q '^{"id":3,.*"action":"reject"' "$T/sub" || fail "item 3 rejected as a repost: $(cat "$T/sub")"
"$N" queue approve 2 --by alice --db "$db" > /dev/null || fail "approve 2"
"$N" queue reject 3 --by alice --reason repost --db "$db" > /dev/null || fail "reject 3"
"$N" queue list --db "$db" --format json > "$T/before"

# Same rules: nothing changes, the store is untouched, and only item 3
# (the repost) matches an earlier item -- item 1 never matches itself or
# the later repost.
"$N" replay --db "$db" --format json > "$T/same" || fail "replay exit $?"
grep -q '"items":3,' "$T/same" || fail "3 items: $(cat "$T/same")"
grep -q '"changes":\[\]' "$T/same" || fail "no change with the same rules: $(cat "$T/same")"
grep -q '{"rule":"SAME_URL","before":1,"after":1,' "$T/same" || fail "SAME_URL once: $(cat "$T/same")"
grep -q '{"rule":"SAME_TEXT","before":1,"after":1,' "$T/same" || fail "SAME_TEXT once"
grep -q '"rule":"SAME_URL",[^}]*"rejected_after":1,"approved_after":0' "$T/same" \
    || fail "SAME_URL agrees with the moderator's rejection: $(cat "$T/same")"
"$N" queue list --db "$db" --format json | cmp -s - "$T/before" || fail "replay changed the store"

# The store's own figures: hits and agreement with the moderators.
"$N" stats --db "$db" --format json > "$T/stats" || fail "stats --db"
grep -q '"items":3,' "$T/stats" || fail "stats items: $(cat "$T/stats")"
grep -q '"rule":"SAME_URL","hits":1,"share":0.33333333333333331,"errors":0,[^}]*"rejected":1,"approved":0,"precision":1.0' "$T/stats" \
    || fail "SAME_URL agrees with the rejection: $(cat "$T/stats")"
"$N" stats --db "$db" --since 2999-01-01T00:00:00Z --format json | grep -q '"items":0,' || fail "stats --since"

# A changed rule set: a new rule on "library" flips items 1 and 2.
cp -r "$R" "$T/rules"
cat > "$T/rules/zz-new.lua" <<'LUA'
rule { name = "MENTIONS_LIBRARY", group = "test", score = 6,
  description = "mentions a library", pattern = [[\blibrary\b]], flags = "i", field = "body" }
LUA
"$N" replay --rules "$T/rules" --db "$db" --format text > "$T/text" || fail "text replay"
grep -q '^  #1 accept -> review  +MENTIONS_LIBRARY$' "$T/text" || fail "#1 flips: $(cat "$T/text")"
grep -q '^  #2 accept -> review  +MENTIONS_LIBRARY  (a moderator decided it: kept)$' "$T/text" \
    || fail "#2 flips but is decided: $(cat "$T/text")"
grep -q '^MENTIONS_LIBRARY  *0  *3   1/1 (0.50)$' "$T/text" || fail "agreement: $(cat "$T/text")"
"$N" queue list --db "$db" --format json | cmp -s - "$T/before" || fail "dry run changed the store"

"$N" replay --rules "$T/rules" --db "$db" --apply --format json > "$T/apply" || fail "apply"
grep -q '"applied":1,"kept":2' "$T/apply" || fail "1 filed, 2 kept: $(cat "$T/apply")"
"$N" queue show 1 --db "$db" --format json | grep -q '"status":"review"' || fail "#1 now review"
"$N" queue show 2 --db "$db" --format json > "$T/s2"
grep -q '"status":"accepted"' "$T/s2" || fail "#2 keeps the moderator's approval: $(cat "$T/s2")"
grep -q '"decided_by":"alice"' "$T/s2" || fail "#2 still decided by alice"
"$N" queue show 3 --db "$db" --format json | grep -q '"status":"rejected"' || fail "#3 stays rejected"

# --since and --limit choose what is reported; earlier items are context.
"$N" replay --db "$db" --limit 1 --format json | grep -q '"items":1,"context":0' || fail "--limit"
"$N" replay --db "$db" --since 2100-01-01T00:00:00Z --format json | grep -q '"items":0,' || fail "--since future"
"$N" replay --db "$db" --limit x 2>/dev/null; [ $? = 64 ] || fail "bad --limit is a usage error"
echo "replay ok"
