#!/bin/sh
# clean-seed.sh -- the seed (../shared/data/seed), cleaned of the spans
# the spam furniture rules mark, is the article and nothing else: the
# verdict's cleaned_body starts with the article's headline, holds its
# first and last sentences, and none of the furniture lines (archive
# navigation, the site's name, "Also on" and "Read also" teasers, the
# share prompt, the promo footer).  The text form reports the cut.
bin=${NEWSGATE_BIN:?}
seed=${NEWSGATE_SHARED:?}/seed/news-every-day-karabakh.txt
rules=${NEWSGATE_RULES:-rules}
[ -f "$seed" ] || { echo "skip: $seed absent"; exit 77; }
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
"$bin" check --format json --rules "$rules" "$seed" > "$tmp/v"
python3 - "$tmp/v" "$seed" <<'PY' || exit 1
import json, sys
v = json.load(open(sys.argv[1]))
seed = open(sys.argv[2], encoding="utf-8").read()
c = v.get("cleaned_body")
if not c:
    sys.exit("no cleaned_body in the verdict")
first = "\u2018We have agreed to maintain status quo\u2019: Putin says"
if not c.startswith(first):
    sys.exit("cleaned body starts with %r" % c[:80])
for keep in ("The Russia-brokered truce between Armenia and Azerbaijan",
             "have been entrusted with monitoring this process.",
             "Stopping tragedy", "Relations between Armenia and Turkey"):
    if keep not in c:
        sys.exit("article text lost: %r" % keep)
if not c.endswith("have been entrusted with monitoring this process."):
    sys.exit("cleaned body ends with %r" % c[-80:])
furniture = ["March\u00a02010", "December\u00a02011", "News Every Day |", "Also on",
             "Read also", "Like this story? Share it with a friend!",
             "WATCH: Twenty Russian military cargo planes",
             "Russia & Turkey disagree on how to solve",
             "Dr Fauci warns", "Mexico seeking extradition",
             "REMOTE-CONTROLLED machine gun", "You can add your news",
             "\u00a9 REUTERS/Gonzalo Fuentes", "latest news 24/7"]
for f in furniture:
    if f not in seed:
        sys.exit("test is stale: %r is not in the seed" % f)
    if f in c:
        sys.exit("furniture left in the cleaned body: %r" % f)
print("cleaned seed: %d of %d bytes, starts %r" %
      (len(c.encode()), len(seed.encode()), c[:60]))
PY
"$bin" check --format text --rules "$rules" "$seed" > "$tmp/t"
grep -E 'furniture: [0-9]+ bytes in [0-9]+ blocks cut from the body' "$tmp/t" \
    || { echo "text form does not report the cut"; cat "$tmp/t"; exit 1; }
# An item without furniture carries no cleaned body.
printf 'Plain news\n\nThe council met on Tuesday and approved the budget.\n' \
    > "$tmp/plain.txt"
"$bin" check --format json --rules "$rules" "$tmp/plain.txt" > "$tmp/p"
if grep -q '"cleaned_body"' "$tmp/p"; then
    echo "cleaned_body without furniture:"; cat "$tmp/p"; exit 1
fi
echo "no furniture: no cleaned_body"
