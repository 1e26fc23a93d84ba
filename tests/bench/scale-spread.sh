#!/bin/sh
# scale-spread.sh [SIZE] [DAYS] -- the "spread" variant of a cached scale
# store (default 1000000 items over 180 days): a copy whose items were
# received evenly over DAYS days up to the newest one, as a site
# accumulates them, instead of in the burst of minutes in which
# `make bench-scale` (or scale-copy.sh) made them.  Only `received_at`
# changes, the time item:history windows are counted by: a new item's
# one-hour windows then hold SIZE / (DAYS * 24) items of the store (231
# at 1M over 180 days, of 1,000 submitters and 97 domains) rather than
# every item of the build's last hour.  scale.sh measures it as size
# SIZE-spread (`make bench-scale SIZES=1000000-spread`); the burst store
# stays the worst case and is measured as well.
set -u
cd "$(dirname "$0")/../.." || exit 70
size=${1:-1000000}
days=${2:-180}
. tests/bench/scale-env.sh
src="$cache/scale-s$schema-g$gen-$size.db"
db="$cache/scale-s$schema-g$gen-$size-spread.db"
[ -f "$src" ] || { echo "scale-spread: no $src (make bench-scale, scale-copy.sh)" >&2; exit 1; }
[ -f "$db" ] && { echo "scale-spread: $db exists"; exit 0; }
sqlite3 "$src" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null || exit 1
cp "$src" "$db.tmp" && cp "$src-fpx" "$db.tmp-fpx" || exit 73
# Item id i of M is received (M - i) * DAYS / M days before the newest.
sqlite3 -bail "$db.tmp" > /dev/null <<SQL || exit 1
BEGIN;
CREATE TEMP TABLE span AS SELECT max(received_at) AS top, max(id) AS m
    FROM items;
UPDATE items SET received_at = (SELECT top FROM span)
    - ((SELECT m FROM span) - id) * $days * 86400 / (SELECT m FROM span);
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
[ -f "$src.copied" ] && cp "$src.copied" "$db.copied"
echo "received over $days days" >> "$db.copied"
mv "$db.tmp-fpx" "$db-fpx" && mv "$db.tmp" "$db" || exit 73
echo "scale-spread: $db"
