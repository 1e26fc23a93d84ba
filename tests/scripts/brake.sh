#!/bin/sh
# brake.sh -- the emergency brake end to end: a rule that hit one item in
# ten is changed to hit everything; after the configured share of a
# window of submissions it is switched to shadow mode (verdicts say
# "braked", the audit log says why) while the other rule keeps enforcing;
# `rules list` shows it; `rules enable` lets it enforce again, audited.
set -u
N=$NEWSGATE_BIN
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
db=$T/q.db
fail() { echo "FAIL: $*"; exit 1; }
. "$(dirname "$0")/../tools/story.sh"     # items FROM TO
mkdir "$T/v1" "$T/v2"
cat > "$T/v1/rules.lua" <<'LUA'
rule { name = "MENTIONS_ALERT", group = "test", score = 3, description = "says alert",
  pattern = [[\balert\b]], field = "body" }
rule { name = "SAYS_STORY", group = "test", score = 1, description = "says story",
  pattern = [[\bstory\b]], flags = "i", field = "title" }
LUA
sed 's/\[\[\\balert\\b\]\]/[[.]]/' "$T/v1/rules.lua" > "$T/v2/rules.lua"
grep -q '\[\[\.\]\]' "$T/v2/rules.lua" || fail "v2 rules not made"
B="--brake-window 20 --brake-share 0.5"

items 1 60 > "$T/a.ndjson"
"$N" submit --db "$db" --rules "$T/v1" $B --format json "$T/a.ndjson" > "$T/a.out"
[ $? -le 2 ] || fail "phase 1 submit"
grep -q '"braked"' "$T/a.out" && fail "nothing braked while the rule behaves"

# The changed rule hits everything from item 61 on.
items 61 100 > "$T/b.ndjson"
"$N" submit --db "$db" --rules "$T/v2" $B --format json "$T/b.ndjson" > "$T/b.out"
[ $? -le 2 ] || fail "phase 2 submit"
first=$(grep -n '"braked":true' "$T/b.out" | head -1 | cut -d: -f1)
[ -n "$first" ] || fail "the runaway rule was never braked: $(tail -3 "$T/b.out")"
[ "$first" -ge 5 ] && [ "$first" -le 15 ] || fail "braked after $first items, expected 5-15"
head -n $((first - 1)) "$T/b.out" | grep -q '"rule":"MENTIONS_ALERT","group":"test","score":3' \
    || fail "enforcing before the trip"
tail -n +"$first" "$T/b.out" | grep -v -q '"rule":"MENTIONS_ALERT","group":"test","score":0,.*"shadow":true.*"braked":true' \
    && fail "every verdict after the trip shows the rule braked"
[ "$(tail -n +"$first" "$T/b.out" | grep -c '"rule":"SAYS_STORY","group":"test","score":1,')" = \
  "$(tail -n +"$first" "$T/b.out" | wc -l)" ] || fail "the other rule keeps enforcing"
grep '"braked":true' "$T/b.out" | grep -q '"rule":"SAYS_STORY"[^}]*"braked"' && fail "SAYS_STORY braked"

# Recorded: rules list, and the audit entry on the item that tripped it.
"$N" rules list --db "$db" --format json > "$T/list" || fail "rules list"
grep -q '"rule":"MENTIONS_ALERT"' "$T/list" || fail "listed: $(cat "$T/list")"
trip=$(sed 's/.*"item":\([0-9]*\).*/\1/' "$T/list")
"$N" queue show "$trip" --db "$db" --format json | grep -q '"action":"brake","detail":"MENTIONS_ALERT switched to shadow mode: hit ' \
    || fail "audit entry on item $trip"

"$N" stats --db "$db" --format json > "$T/stats" || fail "stats"
grep -q '"rule":"MENTIONS_ALERT","hits":[0-9]*,[^}]*"braked":true' "$T/stats" || fail "stats say braked: $(cat "$T/stats")"
grep -q '"rule":"SAYS_STORY","hits":100,' "$T/stats" || fail "stats of the other rule: $(cat "$T/stats")"
grep -q '"rule":"SAYS_STORY"[^}]*"braked"' "$T/stats" && fail "SAYS_STORY not braked in stats"

# Enabled again by an operator: audited, enforcing on the next item.
"$N" rules enable MENTIONS_ALERT --db "$db" --by ops > /dev/null || fail "enable"
"$N" rules list --db "$db" --format json | grep -q '^\[\]$' || fail "nothing braked after enable"
"$N" queue show "$trip" --db "$db" --format json | grep -q '"actor":"ops","action":"enable"' || fail "enable audited"
items 101 101 | "$N" submit --db "$db" --rules "$T/v2" $B --format json > "$T/c.out"
grep -q '"rule":"MENTIONS_ALERT","group":"test","score":3' "$T/c.out" || fail "enforcing again: $(cat "$T/c.out")"
"$N" rules enable MENTIONS_ALERT --db "$db" 2>/dev/null; [ $? = 3 ] || fail "enable of a rule not braked exits 3"
echo "brake ok (braked after $first items of the changed rule)"
