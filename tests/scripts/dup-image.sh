#!/bin/sh
# dup-image.sh -- the persisted fingerprint index image (<db>-fpx) through
# the real binary: a submit that loaded the index writes it on close;
# later processes map it and catch up with rows added since; an image
# that is damaged or belongs to another store is ignored (the index is
# loaded from the store) and answers stay the same.  Needs no shared data.
bin=${NEWSGATE_BIN:?}
rules=${NEWSGATE_RULES:?}
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/rules"
cp "$rules/duplicates.lua" "$tmp/rules/"
db=$tmp/q.db
fail=0

item() {    # item FILE SEED TITLE: an article of 300 distinct words
    { printf 'Title: %s\n\n' "$3"
      awk -v seed="$2" 'BEGIN { srand(seed); for (i = 1; i <= 300; i++)
          printf "w%d%s", int(rand() * 40000), (i % 20 == 0) ? "\n\n" : " " }'
    } > "$1"
}
# A copy of FILE's body (title changed, one word in five replaced).
copy() {
    { printf 'Title: A copy\n\n'
      sed '1,2d' "$1" | awk '{ for (i = 1; i <= NF; i++)
          if (i % 5 == 2) $i = "x" i; print }'; } > "$2"
}
found() {   # found NAME FILE ID: check FILE names #ID as a near duplicate
    out=$("$bin" check --db "$db" --rules "$tmp/rules" --format json "$2")
    case $out in
        *NEAR_DUPLICATE*"#$3 "*) echo "ok    $1" ;;
        *) echo "FAIL  $1: $out"; fail=1 ;;
    esac
}

for i in 1 2 3; do item "$tmp/a$i" $i "Story $i"; done
"$bin" submit --db "$db" --rules "$tmp/rules" "$tmp/a1" "$tmp/a2" "$tmp/a3" \
    > /dev/null 2>&1
[ -s "$db-fpx" ] && echo "ok    image written on close" \
    || { echo "FAIL  no image beside the store"; fail=1; }
copy "$tmp/a2" "$tmp/c2"
found "found through the image" "$tmp/c2" 2
ls "$tmp"/q.db-fpx.*.tmp >/dev/null 2>&1 \
    && { echo "FAIL  temporary image left behind"; fail=1; }

# A row added after the image is caught up from the store.
item "$tmp/a4" 4 "Story 4"
"$bin" submit --db "$db" --rules "$tmp/rules" "$tmp/a4" > /dev/null 2>&1
copy "$tmp/a4" "$tmp/c4"
found "row newer than the image caught up" "$tmp/c4" 4
found "older row still found" "$tmp/c2" 2

# A damaged image is ignored.
cp "$db-fpx" "$tmp/good"
head -c 20 "$tmp/good" > "$db-fpx"
found "truncated image ignored" "$tmp/c4" 4
printf 'garbage garbage garbage garbage garbage garbage' > "$db-fpx"
found "foreign file ignored" "$tmp/c2" 2

# The image of another store (same ids, other texts) is ignored.
other=$tmp/o.db
for i in 5 6 7 8; do item "$tmp/b$i" $i "Other $i"; done
"$bin" submit --db "$other" --rules "$tmp/rules" "$tmp/b5" "$tmp/b6" \
    "$tmp/b7" "$tmp/b8" > /dev/null 2>&1
cp "$other-fpx" "$db-fpx"
found "another store's image ignored" "$tmp/c2" 2
exit $fail
