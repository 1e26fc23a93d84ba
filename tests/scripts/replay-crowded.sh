#!/bin/sh
# replay-crowded.sh -- a replay sees an item's older near-duplicate even
# when many later, closer copies exist.  Item 1 is an older version of a
# story, item 2 the story, items 3-12 near copies of item 2 (closer to it
# than item 1 is).  At submit time item 2 matched item 1; replaying item 2
# behind its horizon must still find item 1, not lose it to the later
# copies that fill the candidate cap (8) and are then hidden.
set -u
N=$NEWSGATE_BIN
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir "$T/rules"
cat > "$T/rules/near.lua" <<'LUA'
rule { name = "NEAR", group = "duplicate", score = 6, description = "like an earlier item",
  check = function(item)
    local d = (item:nearest { min = 0.3, limit = 20 })
    if #d > 0 then
      local ids = {}
      for _, m in ipairs(d) do ids[#ids + 1] = m.id end
      table.sort(ids)
      return true, "earlier " .. table.concat(ids, ",")
    end
  end }
LUA
python3 - > "$T/in.ndjson" <<'PY'
import json, random
rnd = random.Random(5)
words = ("harbour library council volunteers appeal quay building classes "
         "advice service mayor restored evening weekly opened town store "
         "paid local months public first years hundred").split()
story = " ".join(rnd.choice(words) + str(i % 7) for i in range(160))
older = story.split()
for i in range(110, 160):           # the older version ends otherwise
    older[i] = "draft%d" % i
print(json.dumps({"title": "Old draft", "body": " ".join(older)}))
print(json.dumps({"title": "The story", "body": story}))
for k in range(10):                 # later copies, each one word changed
    copy = story.split()
    copy[10 * k + 5] = "edit%d" % k
    print(json.dumps({"title": "Copy %d" % k, "body": " ".join(copy)}))
PY
"$N" submit --rules "$T/rules" --db "$T/q.db" --format json "$T/in.ndjson" > "$T/sub" 2>&1
grep -q '^{"id":2,.*"rule":"NEAR".*"detail":"earlier 1"' "$T/sub" \
    || fail "item 2 matched item 1 when submitted: $(head -n 2 "$T/sub")"
"$N" replay --rules "$T/rules" --db "$T/q.db" --format json > "$T/replay" \
    || fail "replay exit $?"
grep -q '"changes":\[\]' "$T/replay" || fail "replay changed verdicts: $(cat "$T/replay")"
grep -q '{"rule":"NEAR","before":11,"after":11,' "$T/replay" \
    || fail "NEAR on items 2-12 before and after: $(cat "$T/replay")"
echo "replay-crowded ok"
