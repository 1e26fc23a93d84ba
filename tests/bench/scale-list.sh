#!/bin/sh
# scale-list.sh SIZE -- `queue list` latency at SIZE items (default
# 1000000) without building the store through `submit`: the items, audit
# and rule-run rows of the cached 10k scale store (tests/bench/scale.sh)
# are copied in SQL, renumbered, with the title made distinct, the
# submitter redrawn and the submission time moved on per copy.  It has no
# duplicate keys, so it measures the queue and the bytes of the item
# rows only, not `check --db` or `submit` (scale.sh measures those on
# stores built by `submit`).  Cached beside the scale stores.
set -u
cd "$(dirname "$0")/../.." || exit 70
size=${1:-1000000}
TOOLS=${NEWSGATE_TOOLS:-$PWD/build/tools}
. tests/bench/scale-env.sh
src="$cache/scale-s$schema-g$gen-10000.db"
db="$cache/list-s$schema-g$gen-$size.db"
[ -f "$src" ] || { echo "scale-list: run make bench-scale SIZES=10000 first" >&2; exit 0; }
if [ ! -f "$db" ]; then
    cp "$src" "$db.tmp" && sqlite3 "$db.tmp" > /dev/null <<SQL || exit 1
PRAGMA foreign_keys = OFF;
DELETE FROM dup_keys;
CREATE TEMP TABLE src AS SELECT * FROM items;
CREATE TEMP TABLE src_audit AS SELECT * FROM audit;
CREATE TEMP TABLE src_runs AS SELECT * FROM rule_runs;
BEGIN;
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < $size / 10000 - 1)
INSERT INTO items (id, external_id, domain, submitted_at, received_at, status,
    action, score, verdict, rules_hash, item)
SELECT s.id + k.n * 10000, NULL, s.domain, s.submitted_at + k.n * 600000,
    s.received_at, s.status, s.action, s.score, s.verdict, s.rules_hash,
    json_set(s.item, '\$.title', json_extract(s.item, '\$.title') || ' #' || k.n,
             '\$.submitter', printf('user%03d', abs(random()) % 1000))
FROM k, src s;
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < $size / 10000 - 1)
INSERT INTO audit (item_id, at, actor, action, detail, rules_hash)
SELECT a.item_id + k.n * 10000, a.at, a.actor, a.action, a.detail, a.rules_hash FROM k, src_audit a;
WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < $size / 10000 - 1)
INSERT INTO rule_runs SELECT r.item_id + k.n * 10000, r.rule, r.hit, r.us FROM k, src_runs r;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
    mv "$db.tmp" "$db"
fi
n=$(sqlite3 "$db" 'SELECT count(*) FROM items')
echo "== queue list at $n items (copied rows, no duplicate keys: $db) =="
rule=$(sqlite3 "$db" 'SELECT rule FROM rule_runs WHERE hit = 1 GROUP BY rule ORDER BY count(*) DESC LIMIT 1')
since=$(sqlite3 "$db" 'SELECT submitted_at FROM items WHERE id = (SELECT max(id) - 100 FROM items)')
"$TOOLS/listbench" "$db" "${rule:-NO_URL}" user042 "$since"
sqlite3 "$db" "SELECT '    ' || name || ': ' || (sum(pgsize) / $n) || ' bytes/item' FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC LIMIT 8"
