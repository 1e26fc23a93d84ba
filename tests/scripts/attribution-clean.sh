#!/bin/sh
# attribution-clean.sh -- the attribution analyses judge the cleaned text
# (issue 9 point 5): with the default rules, whose clean phase cuts a
# share prompt and teaser blocks, item:quotes() reads the cleaned body
# but its spans still point into item.body, and item:story_words()
# counts the words left.  A wrapped copy written here (always run) and
# the seed (skipped when ../shared/data is absent): every quotation's
# span holds its words, the seed's "Read also" teaser quotation is gone,
# and NO_ATTRIBUTION counts the article, not its furniture.
bin=${NEWSGATE_BIN:?}
rules=${NEWSGATE_RULES:-rules}
seed=${NEWSGATE_SHARED:-../shared/data}/seed/news-every-day-karabakh.txt
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
cp -r "$rules" "$tmp/rules"
cat > "$tmp/rules/zz_quote_spans.lua" <<'LUA'
-- Lists each quotation as "speaker|the body at its span", the story's
-- words and the whole text's words (test only).
rule {
  name = "QUOTE_SPANS", group = "test", score = 0,
  description = "Quotations with their spans read back from item.body",
  check = function(item)
    local out = {}
    for _, q in ipairs(item:quotes()) do
      out[#out + 1] = (q.speaker or "") .. "|" .. item.body:sub(q.span[1], q.span[2])
        .. "|" .. q.text
    end
    return true, ("%d %d\n"):format(item:story_words(), item:wordcount())
      .. table.concat(out, "\n")
  end,
}
LUA
printf 'Title: Harbour reopens\n\nLike this story? Share it with a friend!\n\nThe harbour reopened on Monday after a week of repairs. "We are glad to be back at work," said harbour master Ann Lee. Ships queued outside the entrance for most of the morning.\n\n"It was a long week," she said.\n' > "$tmp/wrapped.txt"
check() { # FILE WANT_QUOTES GONE
    "$bin" check --format json --rules "$tmp/rules" "$1" > "$tmp/v"
    python3 - "$tmp/v" "$2" "$3" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
if not v.get("cleaned_body"):
    sys.exit("no cleaned body: the clean phase cut nothing")
hit = next(h for h in v["hits"] if h["rule"] == "QUOTE_SPANS")
lines = hit["detail"].split("\n")
story, whole = map(int, lines[0].split())
if not story < whole:
    sys.exit("story_words %d not below wordcount %d" % (story, whole))
quotes = [l.split("|", 2) for l in lines[1:]]
for speaker, at, text in quotes:
    squash = lambda s: " ".join(s.split())
    if squash(text)[:30] not in squash(at):
        sys.exit("span holds %r, not the quotation %r" % (at[:60], text[:60]))
if len(quotes) != int(sys.argv[2]):
    sys.exit("%d quotations, want %s" % (len(quotes), sys.argv[2]))
gone = sys.argv[3]
if gone and any(t.startswith(gone) for _, _, t in quotes):
    sys.exit("quotation from the furniture still read: %r" % gone)
na = [h for h in v["hits"] if h["rule"] == "NO_ATTRIBUTION"]
if na and not na[0]["detail"].startswith("%d-word" % story):
    sys.exit("NO_ATTRIBUTION counts %r, want %d words" % (na[0]["detail"], story))
print("%d quotations, spans in the body; %d of %d words judged; speakers %s"
      % (len(quotes), story, whole, sorted({s for s, _, _ in quotes if s})))
PY
}
check "$tmp/wrapped.txt" 2 "" || exit 1
[ -f "$seed" ] || { echo "skip: $seed absent (the wrapped copy passed)"; exit 0; }
check "$seed" 16 "months" || exit 1
