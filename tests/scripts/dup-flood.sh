#!/bin/sh
# dup-flood.sh -- a flood of exact copies is rejected to the last one:
# the emergency brake never switches off a rule that says brake = false
# (the default SAME_URL and SAME_TEXT).  Before, the same 150 items
# submitted twice had 101 of the second 150 accepted: SAME_TEXT hit 50 of
# the last 100 submissions after none before, and was braked.
#   1. the default rules: 150 items, then the same 150 again;
#   2. a runaway rule with brake = false keeps enforcing where the same
#      rule without it is braked, and a brake stored for it before it
#      said so holds it no more;
#   3. brake must be a boolean.
set -u
cd "$(dirname "$0")/../.." || exit 70
N=${NEWSGATE_BIN:-$PWD/newsgate}
. tests/tools/story.sh
T=$(mktemp -d) || exit 70
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# ---- 1. the default rules --------------------------------------------------
story f 150 > "$T/f"
"$N" submit --db "$T/q.db" --format json "$T/f" > "$T/first" 2> "$T/err"
[ "$(grep -c '"action":"accept"' "$T/first")" = 150 ] || fail "first pass: $(tail -1 "$T/err")"
"$N" submit --db "$T/q.db" --format json "$T/f" > "$T/again" 2> "$T/err"
[ "$(grep -c '"forced":{"action":"reject","rule":"SAME_TEXT"}' "$T/again")" = 150 ] \
    || fail "$(grep -c '"action":"accept"' "$T/again") of 150 copies accepted: $(tail -1 "$T/err")"
"$N" rules list --db "$T/q.db" --format json | grep -q '"rule":"SAME_TEXT"' \
    && fail "SAME_TEXT braked: $("$N" rules list --db "$T/q.db")"
echo "ok: 150 items submitted twice: the second 150 all SAME_TEXT"

# ---- 2. brake = false on a rule of one's own --------------------------------
mkdir "$T/calm" "$T/loose" "$T/kept"
cat > "$T/calm/rules.lua" <<'LUA'
rule { name = "ALERT", group = "test", score = 3, description = "says alert",
  pattern = [[\balert\b]], field = "body" }
LUA
sed 's/\[\[\\balert\\b\]\]/[[.]]/' "$T/calm/rules.lua" > "$T/loose/rules.lua"
grep -q '\[\[\.\]\]' "$T/loose/rules.lua" || fail "loose rules not made"
sed 's/score = 3,/score = 3, brake = false,/' "$T/loose/rules.lua" > "$T/kept/rules.lua"
grep -q 'brake = false' "$T/kept/rules.lua" || fail "kept rules not made"
B="--brake-window 20 --brake-share 0.5"
for v in kept loose; do
    db=$T/$v.db
    items 1 60 | "$N" submit --db "$db" --rules "$T/calm" $B > /dev/null 2>&1
    items 61 100 | "$N" submit --db "$db" --rules "$T/$v" $B --format json > "$T/$v.out" 2> /dev/null
done
grep -q '"braked"' "$T/kept.out" && fail "a brake = false rule was braked"
[ "$(grep -c '"rule":"ALERT","group":"test","score":3' "$T/kept.out")" = 40 ] \
    || fail "the brake = false rule stopped enforcing"
grep -q '"braked":true' "$T/loose.out" || fail "the same rule without brake = false was not braked"
# loose.db holds a brake for ALERT: the rule that says brake = false
# enforces all the same.
items 101 101 | "$N" submit --db "$T/loose.db" --rules "$T/kept" $B --format json > "$T/after"
grep -q '"rule":"ALERT","group":"test","score":3' "$T/after" \
    || fail "a stored brake holds a brake = false rule: $(cat "$T/after")"
echo "ok: a runaway rule with brake = false keeps enforcing; without, it is braked"

# ---- 3. brake must be a boolean -----------------------------------------
mkdir "$T/bad"
sed 's/brake = false/brake = "no"/' "$T/kept/rules.lua" > "$T/bad/rules.lua"
items 1 1 | "$N" check --rules "$T/bad" > /dev/null 2> "$T/err"; rc=$?
[ $rc = 78 ] && grep -q "'brake' must be a boolean" "$T/err" \
    || fail "brake = \"no\": exit $rc, $(cat "$T/err")"
echo "ok: brake = \"no\" does not load"
