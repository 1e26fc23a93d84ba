#!/bin/sh
# deadline-store.sh -- a check stuck in store queries is stopped by the
# check's wall-clock deadline (issue 7): a rule asks item:history again
# and again (a new window each time, so the per-check memo never answers)
# against a store of 2,000 items by one submitter.  Without the deadline
# it would run for hours; with --deadline 200 the store interrupts the
# query in flight, history returns nil and the message, and the rule ends
# as a reported error while the other rule still hits and the process
# exits normally.  Needs no shared data.
bin=${NEWSGATE_BIN:?}
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir "$tmp/fill" "$tmp/rules"
cat > "$tmp/fill/nop.lua" <<'LUA'
rule { name = "NOP", group = "t", score = 0, description = "never hits",
       check = function(item) return false end }
LUA
python3 - "$tmp/items.ndjson" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(2000):
        f.write(json.dumps({"title": "item %d" % i, "submitter": "flood",
                            "body": "text number %d of the flood" % i}) + "\n")
PY
"$bin" submit --rules "$tmp/fill" --db "$tmp/q.db" --format json \
    "$tmp/items.ndjson" > /dev/null || fail "filling the store"

cat > "$tmp/rules/a_loop.lua" <<'LUA'
rule { name = "HISTORY_LOOP", group = "t", score = 1,
       description = "asks the store forever",
       check = function(item)
         for i = 1, 100000000 do
           local n, err = item:history{ submitter = "flood", hours = 1000 + i }
           if not n then error("history failed: " .. tostring(err)) end
         end
       end }
LUA
cat > "$tmp/rules/b_after.lua" <<'LUA'
rule { name = "STILL_RUNS", group = "t", score = 1,
       description = "runs after the stuck rule",
       check = function(item) return true, "ran" end }
LUA
echo '{"title":"probe","body":"probe","submitter":"flood"}' \
    | "$bin" check --rules "$tmp/rules" --db "$tmp/q.db" --deadline 200 \
        --format json - > "$tmp/out" 2> "$tmp/err"
rc=$?
[ "$rc" = 0 ] || fail "exit $rc: $(cat "$tmp/err")"
grep -q '"rule":"HISTORY_LOOP","error":"[^"]*history failed: [^"]*interrupted' \
    "$tmp/out" || fail "no interrupted store query: $(cat "$tmp/out")"
grep -q '"rule":"STILL_RUNS"' "$tmp/out" || fail "other rule did not run"
echo "store query stopped by the deadline; other rules ran"
