#!/bin/sh
# clean-dup.sh -- a copy of a stored article wrapped in the seed's
# furniture (archive navigation, "Also on" teasers, the share prompt,
# "Read also" headlines, the promo footer) matches the article as a
# duplicate, closer than when the furniture is not cut: the default rules
# against the same rules with the clean phase taken out.
bin=${NEWSGATE_BIN:?}
rules=${NEWSGATE_RULES:-rules}
seed=${NEWSGATE_SHARED:?}/seed/news-every-day-karabakh.txt
bbc=${NEWSGATE_SHARED:?}/bbc/politics/001.txt
for f in "$seed" "$bbc"; do
    [ -f "$f" ] || { echo "skip: $f absent"; exit 77; }
done
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
cp -r "$rules" "$tmp/clean"
cat > "$tmp/clean/zz_probe.lua" <<'LUA'
rule {
  name = "PROBE", group = "probe", score = 0,
  description = "reports the nearest stored item",
  check = function(item)
    local n = item:nearest { min = 0.05, limit = 1 }
    if #n == 0 then return true, "none" end
    return true, string.format("id=%d sim=%.3f jac=%.3f", n[1].id,
                               n[1].similarity, n[1].jaccard)
  end,
}
LUA
cp -r "$tmp/clean" "$tmp/raw"
sed -i '/phase = "clean"/d' "$tmp/raw/spam.lua"
grep -q 'phase = "clean"' "$tmp/clean/spam.lua" \
    || { echo "no clean phase in $rules/spam.lua"; exit 1; }

# The wrapped copy: the seed's lines with its article swapped for the
# BBC one (the seed's furniture is its first 4 lines, its teasers and
# its last 9 lines).
{ printf 'Title: Add news\n\n'
  sed -n '2,5p' "$seed"
  printf '\n'
  sed -n '3,$p' "$bbc"
  printf '\n'
  sed -n '/^Also on$/,/^$/p' "$seed"
  sed -n '/^Like this story/,$p' "$seed"; } > "$tmp/wrapped.txt"
"$bin" submit --db "$tmp/q.db" --rules "$rules" "$bbc" > /dev/null
"$bin" check --format json --db "$tmp/q.db" --rules "$tmp/clean" \
    "$tmp/wrapped.txt" > "$tmp/c"
"$bin" check --format json --db "$tmp/q.db" --rules "$tmp/raw" \
    "$tmp/wrapped.txt" > "$tmp/r"
python3 - "$tmp/c" "$tmp/r" <<'PY' || exit 1
import json, re, sys
def probe(path):
    v = json.load(open(path))
    d = [h["detail"] for h in v["hits"] if h["rule"] == "PROBE"][0]
    m = re.search(r"sim=([\d.]+) jac=([\d.]+)", d)
    return v, (float(m.group(1)), float(m.group(2))) if m else (0.0, 0.0)
(c, (cs, cj)), (r, (rs, rj)) = probe(sys.argv[1]), probe(sys.argv[2])
dup = lambda v: [h["rule"] for h in v["hits"] if h["group"] == "duplicate"]
print("cleaned: similarity %.3f jaccard %.3f %s" % (cs, cj, dup(c)))
print("raw:     similarity %.3f jaccard %.3f %s" % (rs, rj, dup(r)))
if not c.get("cleaned_body"):
    sys.exit("no cleaned_body")
if not dup(c):
    sys.exit("the cleaned copy is not found as a duplicate")
# similarity is the larger of Jaccard and containment; the raw copy
# contains the whole article, so it is 1 both ways: Jaccard tells them
# apart, and the cleaned copy is the article word for word (SAME_TEXT).
if not (cj > rj and cs >= rs and cj == 1.0):
    sys.exit("cleaning did not bring the copy closer")
if "SAME_TEXT" not in dup(c) or "SAME_TEXT" in dup(r):
    sys.exit("expected SAME_TEXT for the cleaned copy only")
PY

# The other way round: the wrapped copy stored (its keys from the cleaned
# body at submit), the bare article checked against it is the same text.
"$bin" submit --db "$tmp/w.db" --rules "$rules" "$tmp/wrapped.txt" > /dev/null
"$bin" check --format json --db "$tmp/w.db" --rules "$rules" "$bbc" > "$tmp/b"
grep -q '"rule":"SAME_TEXT"' "$tmp/b" \
    || { echo "stored wrapped copy not keyed from its cleaned body:"; cat "$tmp/b"; exit 1; }
echo "stored wrapped copy: the bare article is SAME_TEXT"

# Store round trip: queue show gives the cleaned body filed at submit, the
# same text the verdict carried, beside the original item.
"$bin" check --format json --rules "$rules" "$tmp/wrapped.txt" > "$tmp/wv"
"$bin" queue show 1 --db "$tmp/w.db" > "$tmp/show"
python3 - "$tmp/wv" "$tmp/show" <<'PY' || exit 1
import json, sys
want = json.load(open(sys.argv[1]))["cleaned_body"]
row = json.load(open(sys.argv[2]))
if row.get("cleaned_body") != want:
    sys.exit("stored cleaned_body differs: %r" % (row.get("cleaned_body") or "")[:80])
if "Like this story?" not in row["item"]["body"]:
    sys.exit("the original body was not kept")
print("store: cleaned body (%d bytes) kept beside the original" % len(want.encode()))
PY
