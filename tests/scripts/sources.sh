#!/bin/sh
# sources.sh -- `newsgate sources add|list|remove` and the COPIED_SOURCE
# rule end to end: a registered article copied (an excerpt, words
# changed) without credit hits and names the publisher; crediting it in
# `source` or linking its domain in `url` does not hit; an unrelated text
# does not hit; removed sources are no longer matched; item:copied_from()
# field by field through a probe rule.  Needs no shared data.
bin=${NEWSGATE_BIN:?}
rules=${NEWSGATE_RULES:?}
command -v python3 >/dev/null 2>&1 || { echo "no python3: skipped"; exit 77; }
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
db=$tmp/q.db
fail=0
ok() { echo "ok    $1"; }
bad() { echo "FAIL  $1"; fail=1; }

. tests/tools/story.sh     # words SEED N
{ printf 'Title: Ministers meet\n\n'; words 1 400; } > "$tmp/src1.txt"
{ printf 'Title: Markets fall\n\n'; words 2 400; } > "$tmp/src2.txt"
out=$("$bin" sources add --publisher "Example News" --domain example.com \
      --db "$db" "$tmp/src1.txt" "$tmp/src2.txt") || bad "add failed"
[ "$(echo $out)" = "1 2" ] && ok "add prints the ids" || bad "add printed: $out"
list=$("$bin" sources list --db "$db")
case $list in
    *"1	Example News	example.com	Ministers meet"*"2	Example News"*)
        ok "list" ;;
    *) bad "list: $list" ;;
esac
"$bin" sources add --db "$db" "$tmp/src1.txt" >/dev/null 2>&1
[ $? -eq 64 ] && ok "add without --publisher is a usage error" \
    || bad "add without --publisher"

check() {   # check FILE: the COPIED_SOURCE detail, or nothing
    "$bin" check --db "$db" --rules "$rules" --format json "$1" \
        | python3 -c 'import json,sys
for l in sys.stdin:
    v = json.loads(l)
    for h in v["hits"]:
        if h["rule"] == "COPIED_SOURCE": print(h["detail"])'
}
# An excerpt of a quarter from the middle, uncredited.
{ printf 'Title: A story\n\n'; sed '1,2d' "$tmp/src1.txt" | tr '\n' ' ' \
    | cut -d' ' -f150-250; } > "$tmp/x.txt"
d=$(check "$tmp/x.txt")
case $d in
    *"Example News's \"Ministers meet\" (source #1, 100% of this text)"*)
        ok "uncredited excerpt hits: $d" ;;
    *) bad "uncredited excerpt: '$d'" ;;
esac
# One word in five changed, uncredited.
{ printf 'Title: Another\n\n'; sed '1,2d' "$tmp/src2.txt" | awk '{
    for (i = 1; i <= NF; i++) if (i % 5 == 3) $i = "x" i; print }'; } \
    > "$tmp/e.txt"
case $(check "$tmp/e.txt") in
    *"Markets fall"*) ok "one word in five changed hits" ;;
    *) bad "edited copy not flagged" ;;
esac
# Credited in source, or by a link to the domain: no hit.
{ printf 'Title: A story\nSource: Example News\n\n'; sed '1,2d' "$tmp/x.txt"; } \
    > "$tmp/xs.txt"
[ -z "$(check "$tmp/xs.txt")" ] && ok "credited in source: no hit" \
    || bad "credited in source still hits"
{ printf 'Title: A story\nURL: https://www.example.com/a/1\n\n'
  sed '1,2d' "$tmp/x.txt"; } > "$tmp/xu.txt"
[ -z "$(check "$tmp/xu.txt")" ] && ok "domain linked in url: no hit" \
    || bad "linked domain still hits"
{ printf 'Title: A story\nSource: Other Daily\n\n'; sed '1,2d' "$tmp/x.txt"; } \
    > "$tmp/xo.txt"
case $(check "$tmp/xo.txt") in
    *'credits \"Other Daily\"'*|*"credits \"Other Daily\""*) ok "another publisher credited: hits" ;;
    *) bad "another publisher credited: $(check "$tmp/xo.txt")" ;;
esac
{ printf 'Title: Unrelated\n\n'; words 3 300; } > "$tmp/u.txt"
[ -z "$(check "$tmp/u.txt")" ] && ok "unrelated text: no hit" \
    || bad "unrelated text hits"

# item:copied_from() fields through a probe rule.
mkdir "$tmp/rules"
cat > "$tmp/rules/probe.lua" <<'LUA'
rule {
  name = "PROBE", group = "probe", score = 0, description = "copied_from",
  check = function(item)
    local m = item:copied_from { min = 0.5, limit = 2 }
    if not m[1] then return true, "none" end
    local x = m[1]
    return true, string.format("n=%d id=%d pub=%s dom=%s title=%s sim=%.2f cont=%.2f contd=%.2f",
      #m, x.id, x.publisher, x.domain, x.title, x.similarity, x.containment, x.contained)
  end,
}
LUA
p=$("$bin" check --db "$db" --rules "$tmp/rules" --format json "$tmp/x.txt")
case $p in
    *"n=1 id=1 pub=Example News dom=example.com title=Ministers meet sim=1.00 cont=0.2"*"contd=1.00"*)
        ok "copied_from fields" ;;
    *) bad "copied_from: $p" ;;
esac
p=$("$bin" check --rules "$tmp/rules" --format json "$tmp/x.txt")
case $p in *'"none"'*) ok "no store: copied_from is empty" ;;
    *) bad "no store: $p" ;; esac

# The sources' fingerprint image (<db>-fpx-src), written by `add`: a
# stale one is caught up from its position, a damaged one is ignored.
[ -s "$db-fpx-src" ] && ok "add writes the sources image" \
    || bad "no sources image after add"
cp "$db-fpx-src" "$tmp/old-image"
{ printf 'Title: Late story\n\n'; words 4 400; } > "$tmp/src3.txt"
"$bin" sources add --publisher "Late Post" --db "$db" "$tmp/src3.txt" \
    >/dev/null || bad "add src3"
cp "$tmp/old-image" "$db-fpx-src"
{ printf 'Title: Copy\n\n'; sed '1,2d' "$tmp/src3.txt"; } > "$tmp/l.txt"
case $(check "$tmp/l.txt") in
    *"Late story"*) ok "a stale sources image is caught up" ;;
    *) bad "source added after the image not matched" ;;
esac
head -c 20 "$tmp/old-image" > "$db-fpx-src"
case $(check "$tmp/x.txt") in
    *"Ministers meet"*) ok "a damaged sources image is ignored" ;;
    *) bad "damaged sources image: copy not matched" ;;
esac
"$bin" sources remove --publisher "Late Post" --db "$db" >/dev/null \
    || bad "remove Late Post"

# Removing the publisher's sources: no longer matched.
r=$("$bin" sources remove --publisher "Example News" --db "$db")
[ "$r" = "removed 2" ] && ok "remove by publisher" || bad "remove: $r"
[ -z "$(check "$tmp/x.txt")" ] && ok "removed sources not matched" \
    || bad "removed source still matched"
"$bin" sources remove 99 --db "$db" >/dev/null
[ $? -eq 3 ] && ok "remove of a missing id exits 3" || bad "remove 99"
exit $fail
