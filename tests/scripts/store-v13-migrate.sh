#!/bin/sh
# store-v13-migrate.sh -- schema v13: dup_keys loses its three exact-key
# indexes (url_canon, text_hash, title_hash); the exact look-ups
# (item:same_url, same_text, same_title) are answered by core's
# in-memory index and its image.  A store made by this build is taken
# back to the v12 shape (the indexes again, user_version 12, no image),
# refused read-only, migrated by a read-write open, and the duplicate
# rules must give the same verdicts as before: from the rows, then from
# the image a writing process leaves.  Skips (77) without the sqlite3
# shell.  Needs no shared data.
bin=${NEWSGATE_BIN:?}
rules=${NEWSGATE_RULES:?}
command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3 shell: skipped"; exit 77; }
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
db=$tmp/q.db
fail=0
ok() { echo "ok    $1"; }
bad() { echo "FAIL  $1"; fail=1; }
. tests/tools/story.sh     # words SEED N VOCAB BREAK
mkdir "$tmp/rules" && cp "$rules/duplicates.lua" "$tmp/rules/"
{
    printf '{"title":"First story of the day","body":"%s","url":"https://www.example.org/a"}\n' "$(words 1 300 4000 '\\n\\n')"
    printf '{"title":"Second story of the day","body":"%s"}\n' "$(words 2 300 4000 '\\n\\n')"
    printf '{"title":"Third story of the day","body":"%s"}\n' "$(words 3 300 4000 '\\n\\n')"
} > "$tmp/in.ndjson"
# The probes: the same URL, the same text, the same title over another
# text, and a new story.
{
    printf '{"title":"Another title","body":"%s","url":"https://example.org/a"}\n' "$(words 4 300 4000 '\\n\\n')"
    printf '{"title":"Copied","body":"%s"}\n' "$(words 2 300 4000 '\\n\\n')"
    printf '{"title":"Third story of the day","body":"%s"}\n' "$(words 5 300 4000 '\\n\\n')"
    printf '{"title":"New","body":"%s"}\n' "$(words 6 300 4000 '\\n\\n')"
} > "$tmp/probe.ndjson"
hits() {    # the duplicate rules' hits of each probe, one line each
    "$bin" check --db "$db" --rules "$tmp/rules" --format json \
        "$tmp/probe.ndjson" 2>"$tmp/err" | python3 -c 'import json, sys
for l in sys.stdin:
    try:
        v = json.loads(l)
    except ValueError:
        print(l.strip()); continue
    print(" ".join(h["rule"] + ":" + str(h.get("detail")) for h in v["hits"]) or "-")'
    grep -v " items: " "$tmp/err"
}
"$bin" submit --db "$db" --rules "$tmp/rules" "$tmp/in.ndjson" >/dev/null 2>&1
[ "$(sqlite3 "$db" 'PRAGMA user_version')" = 13 ] && ok "new store at v13" \
    || bad "new store version"
t=$(sqlite3 "$db" "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'dup_keys_%'")
[ "$t" = 0 ] && ok "no exact-key indexes" || bad "$t dup_keys indexes"
hits > "$tmp/before"
case $(cat "$tmp/before") in
    *"SAME_URL:same URL as #1"*"SAME_TEXT:same text as #2"*"SAME_TITLE_DIFFERENT_TEXT:title of #3"*)
        ok "exact duplicates found in memory" ;;
    *) bad "exact look-ups: $(cat "$tmp/before")" ;;
esac
[ "$(sed -n 4p "$tmp/before")" = "-" ] && ok "a new story hits nothing" \
    || bad "new story: $(sed -n 4p "$tmp/before")"

# Back to v12: its indexes, no image (a v12 build wrote another format).
sqlite3 -bail "$db" "CREATE INDEX dup_keys_url ON dup_keys(url_canon)
    WHERE url_canon IS NOT NULL;
    CREATE INDEX dup_keys_text ON dup_keys(text_hash);
    CREATE INDEX dup_keys_title ON dup_keys(title_hash);
    PRAGMA user_version = 12;" || exit 70
rm -f "$db-fpx"
case $(hits) in
    *"older than"*) ok "check refuses the v12 store until migrated" ;;
    *) bad "check on v12: $(hits)" ;;
esac
"$bin" submit --db "$db" --rules "$tmp/rules" /dev/null >/dev/null 2>&1
[ "$(sqlite3 "$db" 'PRAGMA user_version')" = 13 ] && ok "migrated to v13" \
    || bad "not migrated"
t=$(sqlite3 "$db" "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'dup_keys_%'")
[ "$t" = 0 ] && ok "migration drops the exact-key indexes" \
    || bad "$t dup_keys indexes after migration"
hits > "$tmp/rows"
cmp -s "$tmp/before" "$tmp/rows" && ok "same verdicts, index read from rows" \
    || { bad "verdicts from rows differ"; diff "$tmp/before" "$tmp/rows"; }
# A writing process loads the index and leaves an image; check maps it.
printf '{"title":"Later","body":"%s"}\n' "$(words 7 300 4000 '\\n\\n')" > "$tmp/later.ndjson"
"$bin" submit --db "$db" --rules "$tmp/rules" "$tmp/later.ndjson" \
    >/dev/null 2>&1
[ -s "$db-fpx" ] && ok "image written" || bad "no image"
hits > "$tmp/image"
cmp -s "$tmp/before" "$tmp/image" && ok "same verdicts from the image" \
    || { bad "verdicts from the image differ"; diff "$tmp/before" "$tmp/image"; }
exit $fail
