#!/bin/sh
# dup-migrate.sh -- the migrations of duplicate keys.  A store made by
# schema v2 (MinHash band keys in dup_keys.bands, no fingerprints) opens
# under v3, is migrated (bands dropped, fps added and NULL for the old
# rows) and its old rows are still found: the index samples their
# shingles on load, and partial copies of them (an excerpt, words
# changed) are found through it.  A store made by schema v7 (each item's
# shingle sequence, 4 bytes a shingle, no sketch) is migrated to v8:
# every row gets the 24-bit verification sketch a v8 store writes for the
# same item, its shingles are emptied, and near-duplicate verdicts on the
# migrated store are the ones a store made by v8 gives.  The
# v2 shape is made from a current store with the sqlite3 shell (the
# shingles a v2 store kept come from tests/tools/dupkeys: since v8 a
# store keeps only the sketch); skips (77) without it.  Needs no shared
# data.
bin=${NEWSGATE_BIN:?}
rules=${NEWSGATE_RULES:?}
: "${NEWSGATE_TOOLS:?}"
command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3 shell: skipped"; exit 77; }
sqlite3 :memory: "SELECT sqlar_uncompress(x'', 0)" >/dev/null 2>&1 \
    || { echo "sqlite3 shell without sqlar: skipped"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
db=$tmp/q.db
mkdir "$tmp/rules"
cp "$rules/duplicates.lua" "$tmp/rules/"
fail=0

# A long article of distinct words, in paragraphs of 20 words.
. tests/tools/story.sh     # words SEED N
words 1 400 > "$tmp/a.txt"
words 2 400 > "$tmp/b.txt"
printf 'Title: First story\n\n' | cat - "$tmp/a.txt" > "$tmp/a.item"
printf 'Title: Second story\n\n' | cat - "$tmp/b.txt" > "$tmp/b.item"
"$bin" submit --db "$db" --rules "$tmp/rules" "$tmp/a.item" "$tmp/b.item" \
    > /dev/null 2>&1
# Back to v2: the shingles, a bands column, no fps nor sketch,
# user_version 2.
sa=$("$NEWSGATE_TOOLS/dupkeys" "$tmp/a.item") || exit 70
sb=$("$NEWSGATE_TOOLS/dupkeys" "$tmp/b.item") || exit 70
# The items go back to their v10 shape first (items-v10.sql).
sqlite3 -bail "$db" < "$here/items-v10.sql" || exit 70
sqlite3 "$db" "UPDATE dup_keys SET shingles = X'$sa' WHERE item_id = 1;
  UPDATE dup_keys SET shingles = X'$sb' WHERE item_id = 2;
  ALTER TABLE dup_keys DROP COLUMN sketch;
  ALTER TABLE dup_keys ADD COLUMN bands BLOB NOT NULL DEFAULT x'';
  ALTER TABLE dup_keys DROP COLUMN fps; DROP TABLE dup_meta; DROP TABLE sources;
  DROP TABLE rule_brakes; PRAGMA user_version = 2;" || exit 70

# An excerpt of a quarter from the middle of the first story.
{ printf 'Title: An excerpt\n\n'; tr -s '\n' '\n' < "$tmp/a.txt" | tr '\n' ' ' \
    | cut -d' ' -f150-250; } > "$tmp/x.item"
# check opens read-only and refuses an old schema; submit migrates.
out=$("$bin" check --db "$db" --rules "$tmp/rules" --format json \
      "$tmp/x.item" 2>&1)
case $out in
    *"older than"*) echo "ok    check refuses the v2 store until migrated" ;;
    *) echo "FAIL  check on v2: $out"; fail=1 ;;
esac
out=$("$bin" submit --db "$db" --rules "$tmp/rules" --format json "$tmp/x.item")
case $out in
    *NEAR_DUPLICATE*'#1 '*) echo "ok    excerpt of a v2 row found" ;;
    *) echo "FAIL  excerpt of a v2 row not found: $out"; fail=1 ;;
esac
v=$(sqlite3 "$db" "PRAGMA user_version")
cols=$(sqlite3 "$db" "SELECT group_concat(name) FROM pragma_table_info('dup_keys')")
case "$v:$cols" in
    [3-9]:*fps*|1[0-9]:*fps*) case $cols in *bands*) echo "FAIL  bands kept: $cols"; fail=1 ;;
             *) echo "ok    migrated to v$v ($cols)" ;; esac ;;
    *) echo "FAIL  not migrated: version $v, columns $cols"; fail=1 ;;
esac
n=$(sqlite3 "$db" "SELECT count(*) FROM dup_keys WHERE fps IS NULL")
[ "$n" = 2 ] && echo "ok    old rows keep fps NULL" \
    || { echo "FAIL  old rows: $n with fps NULL"; fail=1; }

# A new row after the migration has fingerprints; one word in five of the
# second story changed is found.
awk '{ for (i = 1; i <= NF; i++) if (i % 5 == 3) $i = "changed" i; print }' \
    "$tmp/b.txt" > "$tmp/c.txt"
printf 'Title: Edited\n\n' | cat - "$tmp/c.txt" > "$tmp/c.item"
out=$("$bin" submit --db "$db" --rules "$tmp/rules" --format json "$tmp/c.item")
case $out in
    *NEAR_DUPLICATE*'#2 '*) echo "ok    one word in five changed found" ;;
    *) echo "FAIL  edited copy not found: $out"; fail=1 ;;
esac
n=$(sqlite3 "$db" "SELECT count(*) FROM dup_keys WHERE fps IS NOT NULL")
[ "$n" = 2 ] && echo "ok    new rows have fingerprints" \
    || { echo "FAIL  new rows with fps: $n"; fail=1; }

# ---- v7 -> v8: the verification sketch ----
words 11 400 > "$tmp/a.txt"
words 12 300 > "$tmp/b.txt"
printf 'Title: First story\n\n' | cat - "$tmp/a.txt" > "$tmp/a.item"
printf 'Title: Second story\n\n' | cat - "$tmp/b.txt" > "$tmp/b.item"
# An excerpt of the first and an edit of the second (one word in five).
{ printf 'Title: An excerpt\n\n'; tr -s '\n' '\n' < "$tmp/a.txt" | tr '\n' ' ' \
    | cut -d' ' -f120-240; } > "$tmp/x.item"
awk '{ for (i = 1; i <= NF; i++) if (i % 5 == 3) $i = "changed" i; print }' \
    "$tmp/b.txt" | { printf 'Title: Edited\n\n'; cat; } > "$tmp/y.item"

for db in "$tmp/v7.db" "$tmp/v8.db"; do
    "$bin" submit --db "$db" --rules "$tmp/rules" "$tmp/a.item" "$tmp/b.item" \
        > /dev/null 2>&1
done
# Back to v7: the shingle sequences, no sketch column, user_version 7.
sa=$("$NEWSGATE_TOOLS/dupkeys" "$tmp/a.item") || exit 70
sb=$("$NEWSGATE_TOOLS/dupkeys" "$tmp/b.item") || exit 70
sqlite3 -bail "$tmp/v7.db" < "$here/items-v10.sql" || exit 70
sqlite3 "$tmp/v7.db" "UPDATE dup_keys SET shingles = X'$sa' WHERE item_id = 1;
  UPDATE dup_keys SET shingles = X'$sb' WHERE item_id = 2;
  ALTER TABLE dup_keys DROP COLUMN sketch; ALTER TABLE sources DROP COLUMN body;
  DROP INDEX IF EXISTS rule_runs_item; PRAGMA user_version = 7;" || exit 70
rm -f "$tmp/v7.db-fpx"

out=$("$bin" check --db "$tmp/v7.db" --rules "$tmp/rules" --format json \
      "$tmp/x.item" 2>&1)
case $out in
    *"older than"*) echo "ok    check refuses the v7 store until migrated" ;;
    *) echo "FAIL  check on v7: $out"; fail=1 ;;
esac
# Verdicts of the excerpt and the edit: migrated store and v8 store.
for db in v7 v8; do
    "$bin" submit --db "$tmp/$db.db" --rules "$tmp/rules" --format json \
        "$tmp/x.item" "$tmp/y.item" 2> /dev/null \
        | sed 's/"timings_us":{[^}]*}//; s/"input":"[^"]*"//' > "$tmp/$db.out"
done
if cmp -s "$tmp/v7.out" "$tmp/v8.out" \
   && grep -q 'NEAR_DUPLICATE.*#1 ' "$tmp/v7.out" \
   && grep -q 'NEAR_DUPLICATE.*#2 ' "$tmp/v7.out"; then
    echo "ok    excerpt and edit found on the migrated store as on a v8 one"
else
    echo "FAIL  verdicts differ or miss:"; cat "$tmp/v7.out" "$tmp/v8.out"; fail=1
fi
v=$(sqlite3 "$tmp/v7.db" "PRAGMA user_version")
[ "$v" -ge 8 ] && echo "ok    migrated to v$v" \
    || { echo "FAIL  not migrated: version $v"; fail=1; }
q="SELECT group_concat(hex(sketch) || ':' || length(shingles), ',')
   FROM (SELECT * FROM dup_keys WHERE item_id <= 2 ORDER BY item_id)"
m=$(sqlite3 "$tmp/v7.db" "$q"); f=$(sqlite3 "$tmp/v8.db" "$q")
if [ -n "$m" ] && [ "$m" = "$f" ]; then
    echo "ok    sketches as v8 writes them, shingles emptied"
else
    echo "FAIL  migrated sketches differ: ${m%%:*} vs ${f%%:*}"; fail=1
fi
exit $fail
