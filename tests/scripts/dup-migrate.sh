#!/bin/sh
# dup-migrate.sh -- a store made by schema v2 (MinHash band keys in
# dup_keys.bands, no fingerprints) opens under v3, is migrated (bands
# dropped, fps added and NULL for the old rows) and its old rows are
# still found: the index samples their shingles on load, and partial
# copies of them (an excerpt, words changed) are found through it.  The
# v2 shape is made from a v3 store with the sqlite3 shell; skips (77)
# without it.  Needs no shared data.
bin=${NEWSGATE_BIN:?}
rules=${NEWSGATE_RULES:?}
command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3 shell: skipped"; exit 77; }
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
db=$tmp/q.db
mkdir "$tmp/rules"
cp "$rules/duplicates.lua" "$tmp/rules/"
fail=0

# A long article of distinct words, in paragraphs of 20 words.
words() {
    awk -v seed="$1" -v n="$2" 'BEGIN { srand(seed);
        for (i = 1; i <= n; i++) {
            printf "w%d%s", int(rand() * 40000), (i % 20 == 0) ? "\n\n" : " " } }'
}
words 1 400 > "$tmp/a.txt"
words 2 400 > "$tmp/b.txt"
printf 'Title: First story\n\n' | cat - "$tmp/a.txt" > "$tmp/a.item"
printf 'Title: Second story\n\n' | cat - "$tmp/b.txt" > "$tmp/b.item"
"$bin" submit --db "$db" --rules "$tmp/rules" "$tmp/a.item" "$tmp/b.item" \
    > /dev/null 2>&1
# Back to v2: a bands column, no fps, user_version 2.
sqlite3 "$db" "ALTER TABLE dup_keys ADD COLUMN bands BLOB NOT NULL DEFAULT x'';
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
    [3-9]:*fps*) case $cols in *bands*) echo "FAIL  bands kept: $cols"; fail=1 ;;
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
exit $fail
