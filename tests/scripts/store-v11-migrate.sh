#!/bin/sh
# store-v11-migrate.sh -- schema v11 (store/sqlite_zip.c): the item,
# verdict and cleaned-body texts are stored compressed, title and
# submitter become stored columns.  A store is made by this build, taken
# back to the v10 shape with the sqlite3 shell (items-v10.sql: texts
# inflated with the shell's sqlar_uncompress, title and submitter
# virtual columns over the item JSON again; user_version 10), and opened read-write: the
# migration must compress the texts, fill title and submitter, rebuild the submitter indexes, and `queue
# show` / `queue list` must print exactly what they printed before.
# Skips (77) without the sqlite3 shell or its sqlar functions.  Needs no
# shared data.
bin=${NEWSGATE_BIN:?}
rules=${NEWSGATE_RULES:?}
command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3 shell: skipped"; exit 77; }
sqlite3 :memory: "SELECT sqlar_uncompress(x'', 0)" >/dev/null 2>&1 \
    || { echo "sqlite3 shell without sqlar: skipped"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
db=$tmp/q.db
fail=0
q() { "$bin" queue "$@" --db "$db" --format json; }

# Two long articles of distinct words and a short item.
. tests/tools/story.sh     # words SEED N VOCAB BREAK
{
    printf '{"title":"First story","body":"%s","submitter":"ann","url":"https://www.example.org/a"}\n' "$(words 1 300 400 '\\n\\n')"
    printf '{"title":"Second story","body":"%s","submitter":"bob"}\n' "$(words 2 300 400 '\\n\\n')"
    printf '{"title":"Short","body":"Too short.","submitter":"ann"}\n'
} > "$tmp/in.ndjson"
"$bin" submit --db "$db" --rules "$rules" --format json "$tmp/in.ndjson" \
    > /dev/null 2>&1
n=$(sqlite3 "$db" "SELECT count(*) FROM items")
[ "$n" = 3 ] || { echo "FAIL  3 items stored, found $n"; exit 1; }
for i in 1 2 3; do q show "$i" > "$tmp/show$i" || exit 70; done
q list --submitter ann > "$tmp/list-ann" || exit 70
q list > "$tmp/list" || exit 70
t=$(sqlite3 "$db" "SELECT group_concat(typeof(item) || '/' || typeof(verdict)) FROM items")
[ "$t" = "blob/blob,blob/blob,blob/blob" ] && echo "ok    v11 store: texts compressed ($t)" \
    || { echo "FAIL  v11 store types: $t"; fail=1; }

# Back to v10.
{ cat "$here/items-v10.sql"; echo "PRAGMA user_version = 10;"; } \
    | sqlite3 -bail "$db" || exit 70
t=$(sqlite3 "$db" "SELECT count(*) FROM items WHERE typeof(item) = 'text' AND typeof(verdict) = 'text' AND json_valid(item) AND json_valid(verdict)")
[ "$t" = 3 ] || { echo "FAIL  v10 shape: $t rows of plain JSON"; fail=1; }

# A read-only open refuses the old schema; a read-write one migrates.
out=$(q show 1 2>&1)
case $out in
    *"older than"*) echo "ok    queue show refuses the v10 store until migrated" ;;
    *) echo "FAIL  queue show on v10: $out"; fail=1 ;;
esac
"$bin" submit --db "$db" --rules "$rules" --format json "$tmp/in.ndjson" \
    > /dev/null 2>&1
v=$(sqlite3 "$db" "PRAGMA user_version")
[ "$v" -ge 11 ] && echo "ok    migrated to v$v" || { echo "FAIL  version $v"; fail=1; }
t=$(sqlite3 "$db" "SELECT group_concat(typeof(item) || '/' || typeof(verdict)) FROM items WHERE id <= 3")
[ "$t" = "blob/blob,blob/blob,blob/blob" ] && echo "ok    migrated rows compressed ($t)" \
    || { echo "FAIL  migrated types: $t"; fail=1; }
t=$(sqlite3 "$db" "SELECT group_concat(title || ':' || ifnull(submitter, '-'), ',') FROM items WHERE id <= 3")
[ "$t" = "First story:ann,Second story:bob,Short:ann" ] && echo "ok    title and submitter stored" \
    || { echo "FAIL  title/submitter: $t"; fail=1; }
t=$(sqlite3 "$db" "SELECT count(*) FROM sqlite_schema WHERE name IN ('items_submitter', 'items_submitter_rx')")
[ "$t" = 2 ] && echo "ok    submitter indexes rebuilt" || { echo "FAIL  indexes: $t"; fail=1; }
# v12: the domain index by submission time goes, the one by received time stays.
t=$(sqlite3 "$db" "SELECT group_concat(name) FROM sqlite_schema WHERE name LIKE 'items_domain%'")
[ "$t" = items_domain_rx ] && echo "ok    unread domain index dropped" || { echo "FAIL  domain indexes: $t"; fail=1; }
for i in 1 2 3; do
    q show "$i" > "$tmp/after$i"
    cmp -s "$tmp/show$i" "$tmp/after$i" && echo "ok    queue show $i unchanged" \
        || { echo "FAIL  queue show $i differs"; diff "$tmp/show$i" "$tmp/after$i" | head -4; fail=1; }
done
# A value stored as text (a row from before v11, a short text) reads as
# it is: item 3's verdict written back uncompressed.
sqlite3 "$db" "UPDATE items SET verdict = CAST(sqlar_uncompress(substr(verdict, 5), 16777216) AS TEXT) WHERE id = 3"
t=$(sqlite3 "$db" "SELECT typeof(verdict) FROM items WHERE id = 3")
q show 3 > "$tmp/text3"
[ "$t" = text ] && cmp -s "$tmp/show3" "$tmp/text3" \
    && echo "ok    an uncompressed verdict reads unchanged" \
    || { echo "FAIL  uncompressed verdict ($t)"; fail=1; }
q list --submitter ann > "$tmp/after-ann"
# The resubmission filed new rows for ann: compare the first three.
python3 - "$tmp/list-ann" "$tmp/after-ann" <<'EOF' || fail=1
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
b = [r for r in b if r["id"] <= 3]
ok = sorted(a, key=lambda r: r["id"]) == sorted(b, key=lambda r: r["id"])
print("ok    queue list --submitter ann unchanged" if ok
      else "FAIL  queue list --submitter ann differs")
sys.exit(0 if ok else 1)
EOF
exit $fail
