#!/bin/sh
# replay-clock.sh -- a replay counts `item:history` windows up to when
# each item arrived, not up to the moment the replay runs: items filed by
# one submitter, the third over a one-hour limit, are moved two days into
# the past (their received times, in SQL: faketime's LD_PRELOAD cannot run
# under AddressSanitizer) and replayed with the same rules: nothing
# changes.
set -u
N=$NEWSGATE_BIN
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v sqlite3 > /dev/null || { echo "skip: sqlite3 not installed"; exit 77; }

mkdir "$T/rules"
cat > "$T/rules/flood.lua" <<'LUA'
rule { name = "BUSY_SUBMITTER", group = "spam", score = 6,
  description = "two or more items from the submitter in the last hour",
  check = function(item)
    local n = item:history { submitter = true, hours = 1, up_to = 5 }
    if n >= 2 then return true, n .. " earlier items" end
  end }
LUA
for t in one two three; do
    printf '{"title":"Story %s","body":"Body of story %s.","submitter":"ann"}\n' "$t" "$t"
done > "$T/in.ndjson"
"$N" submit --db "$T/q.db" --rules "$T/rules" --format json \
    "$T/in.ndjson" > "$T/sub" 2> "$T/err"
rc=$?
[ "$rc" -eq 1 ] || fail "submit exit $rc (1: some held for review): $(cat "$T/err")"
grep -q '^{"id":3,.*"action":"review".*BUSY_SUBMITTER' "$T/sub" \
    || fail "item 3 over the limit at arrival: $(cat "$T/sub")"
grep -q '^{"id":2,.*"action":"accept"' "$T/sub" || fail "item 2 under it: $(cat "$T/sub")"
sqlite3 "$T/q.db" 'UPDATE items SET received_at = received_at - 172800' \
    || fail "moving the items two days back"

"$N" replay --db "$T/q.db" --rules "$T/rules" --format json > "$T/out" \
    || fail "replay exit $?: $(cat "$T/out")"
grep -q '"items":3,' "$T/out" || fail "3 items: $(cat "$T/out")"
grep -q '"changes":\[\]' "$T/out" || fail "no change two days later: $(cat "$T/out")"
grep -q '{"rule":"BUSY_SUBMITTER","before":1,"after":1,' "$T/out" \
    || fail "the hit replayed: $(cat "$T/out")"
echo "ok: history windows end at each item's arrival in a replay"
