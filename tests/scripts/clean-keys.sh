#!/bin/sh
# clean-keys.sh -- the furniture marks through the real binary with a
# small rule set: a check's `furniture = true` with several `spans`, a
# pattern rule's `furniture = true`, overlapping marks merged, a mark
# outside the body refused as the rule's error, and `phase` checked at
# load.  Needs no shared data.
bin=${NEWSGATE_BIN:?}
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/r" "$tmp/bad"
cat > "$tmp/r/a.lua" <<'LUA'
rule {
  name = "NAV", group = "t", score = 1, description = "nav lines",
  phase = "clean",
  check = function(item)
    local s1, f1 = item.body:find("MENU ONE", 1, true)
    local s2, f2 = item.body:find("MENU TWO", 1, true)
    if s1 and s2 then
      return { spans = { { s1, f1 }, { s2, f2 }, { s1, f1 + 2 } },
               field = "body", furniture = true }
    end
  end,
}
rule {
  name = "FOOTER", group = "t", score = 1, description = "footer",
  phase = "clean", furniture = true,
  pattern = [[^Share this!$]], flags = "m", field = "body",
}
rule {
  name = "TITLE_MARK", group = "t", score = 1, description = "bad mark",
  check = function(item)
    return { span = { 1, 3 }, field = "title", furniture = true }
  end,
}
LUA
printf 'T\n\nMENU ONE\n\nThe story itself.\n\nMENU TWO\nShare this!\n' > "$tmp/i.txt"
"$bin" check --format json --rules "$tmp/r" "$tmp/i.txt" > "$tmp/v"
python3 - "$tmp/v" <<'PY' || exit 1
import json, sys
v = json.load(open(sys.argv[1]))
if v.get("cleaned_body") != "The story itself.":
    sys.exit("cleaned_body: %r" % v.get("cleaned_body"))
errs = [e for e in v["errors"] if e["rule"] == "TITLE_MARK"]
if not errs or "furniture" not in errs[0]["error"]:
    sys.exit("a title mark was not refused: %r" % v["errors"])
print("cleaned_body %r; title mark refused: %s" % (v["cleaned_body"], errs[0]["error"]))
PY
cat > "$tmp/bad/b.lua" <<'LUA'
rule { name = "P", group = "t", score = 1, description = "d",
       phase = "later", check = function() end }
LUA
if out=$("$bin" check --rules "$tmp/bad" "$tmp/i.txt" 2>&1); then
    echo "phase = \"later\" loaded: $out"; exit 1
fi
case $out in *"phase must be 'clean'"*) echo "bad phase refused at load" ;;
    *) echo "unexpected: $out"; exit 1 ;; esac
