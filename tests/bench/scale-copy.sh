#!/bin/sh
# scale-copy.sh [SIZE] -- makes the SIZE-item scale store (default
# 1000000) from the cached 100k store that `make bench-scale` built by
# `submit`, by copying its rows in SQL SIZE / 100000 times, duplicate
# keys included (fingerprints and verification sketches), renumbered,
# titles made distinct (the `title` column; the compressed item
# JSON, schema v11, keeps its own) and submission times moved on per copy.  Building
# 1M items through `submit` takes hours on the shared machine (1.3 ms of
# CPU an item at 100k, mostly the rate-limit rules counting a window in
# which every built item was received, and ~160 s of wall clock per
# 10,000 at a load of 10), so the 1M row of docs/benchmarks.md comes
# from this copy.  Each text is stored SIZE / 100000 times: the index
# holds as many postings per fingerprint as a store of SIZE distinct
# items drawn from the same sentences would, so candidate search and
# verification of new items cost what they would there.  It writes
# "$db.copied" beside the store, and scale.sh reports that the store was
# copied.  The index image is made by submitting one more item (kept: a
# deleted one would leave its id in the image for the next item).
set -u
cd "$(dirname "$0")/../.." || exit 70
size=${1:-1000000}
N=${NEWSGATE_BIN:-$PWD/newsgate}
TOOLS=${NEWSGATE_TOOLS:-$PWD/build/tools}
BBC=${NEWSGATE_SHARED:-../shared/data}/bbc
. tests/bench/scale-env.sh
src="$cache/scale-s$schema-g$gen-100000.db"
db="$cache/scale-s$schema-g$gen-$size.db"
[ -f "$src" ] || { echo "scale-copy: run make bench-scale SIZES=100000 first" >&2; exit 1; }
[ -f "$db" ] && { echo "scale-copy: $db exists"; exit 0; }
copies=$(( size / 100000 ))
# Copies follow the source's last id with no gap between them: the
# duplicate index opens a gap for a missing id (an uncommitted item,
# perhaps) and writes no image while one is open, so every later process
# would load the 1M-item index from its rows (30 s of CPU).
top=$(sqlite3 "$src" 'SELECT max(id) FROM items')
span=$(sqlite3 "$src" 'SELECT max(submitted_at) - min(submitted_at) + 1 FROM items WHERE id <= 100000')
cp "$src" "$db.tmp" || exit 73
k=1
while [ "$k" -lt "$copies" ]; do
    off=$(( top + (k - 1) * 100000 ))
    sqlite3 -bail "$db.tmp" > /dev/null <<SQL || exit 1
PRAGMA foreign_keys = OFF;
BEGIN;
INSERT INTO items (id, external_id, domain, submitted_at, received_at,
    status, action, score, verdict, rules_hash, item, cleaned_body, title,
    submitter)
SELECT id + $off, NULL, domain, submitted_at + $k * $span, received_at,
    status, action, score, verdict, rules_hash, item, cleaned_body,
    title || ' #$k', submitter
FROM items WHERE id <= 100000;
INSERT INTO dup_keys (item_id, url_canon, text_hash, title_hash, shingles,
    fps, sketch)
SELECT item_id + $off, url_canon, text_hash, title_hash, shingles, fps,
    sketch FROM dup_keys WHERE item_id <= 100000;
INSERT INTO audit (item_id, at, actor, action, detail, rules_hash)
SELECT item_id + $off, at, actor, action, detail, rules_hash FROM audit
WHERE item_id <= 100000;
INSERT INTO rule_runs SELECT item_id + $off, rule, hit, us FROM rule_runs
WHERE item_id <= 100000;
COMMIT;
SQL
    printf '\r  copied %d / %d ' "$k" "$copies" >&2
    k=$(( k + 1 ))
done
echo >&2
# The index image: one writable open that loads the index (a submit).
"$TOOLS/scalegen" "$BBC" 9000000 1 > "$db.one"
"$N" submit --db "$db.tmp" --rules rules --format json "$db.one" > /dev/null 2>&1
sqlite3 "$db.tmp" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
rm -f "$db.one"
mv "$db.tmp-fpx" "$db-fpx" && mv "$db.tmp" "$db" || exit 73
echo "rows of $src copied $copies times" > "$db.copied"
echo "scale-copy: $db ($(sqlite3 "$db" 'SELECT count(*) FROM items') items)"
