#!/bin/sh
# scale.sh [SIZES...] -- the scale benchmark of issue 8 (`make
# bench-scale`).  For each size (default 10000 100000 1000000) it builds,
# or reuses from the cache, a store of that many distinct synthetic items
# (tests/tools/scalegen: BBC sentences, fixed seed, 10-20 sentences a
# body) and prints:
#   - process start-up: `check --db` of one item (median of 5) and, for
#     reference, `check` without a store;
#   - `check --db` and `submit` µs/item over 2,000 new items (start-up
#     subtracted; the submitted items are deleted again afterwards);
#   - `queue list` latency per filter, in process (tests/tools/listbench);
#   - bytes per item (file size after a checkpoint, and per table).
# The `check --db` and `submit` runs see a clock set from the store
# (faketime), so the figures do not depend on when the bench runs: by
# default one minute after its newest built item was received ("burst":
# the stores are built in a burst, so every built item of the last hour
# is inside the new items' rate-limit windows, item:history, and the
# counts meet their caps: the worst case), with NEWSGATE_SCALE_LATER=1
# one day after it ("later": the windows are empty, as on a site whose
# items arrived over months, and what is left is the store's own cost).
# A size given as N-spread (e.g. 1000000-spread) measures the store that
# tests/bench/scale-spread.sh made from the N one: the same items,
# received over months rather than in a burst.
# Stores are cached in $NEWSGATE_SCALE_CACHE (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/newsgate-scale), keyed by size, schema
# version and the generator's source, because the 1M store takes long to
# build (100 `submit` processes of 10,000 items: 17 minutes on the
# shared machine in session 5, hours in earlier sessions, when the 1M
# store was made by tests/bench/scale-copy.sh from the 100k one).
set -u
cd "$(dirname "$0")/../.." || exit 70
N=${NEWSGATE_BIN:-$PWD/newsgate}
TOOLS=${NEWSGATE_TOOLS:-$PWD/build/tools}
BBC=${NEWSGATE_SHARED:-../shared/data}/bbc
RULES=$PWD/rules
[ -d "$BBC" ] || { echo "bench-scale: $BBC not found" >&2; exit 0; }
. tests/bench/scale-env.sh
mkdir -p "$cache" || exit 73
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CHUNK=10000
FRESH=2000

median() { sort -n | sed -n "$(( ($1 + 1) / 2 ))p"; }
us() { echo $(( $(date +%s%N) / 1000 )); }

# build SIZE DB: submits SIZE generated items in chunks; resumable.
build() {
    have=$(sqlite3 "$2" 'SELECT count(*) FROM items' 2>/dev/null || echo 0)
    while [ "$have" -lt "$1" ]; do
        k=$(( $1 - have < CHUNK ? $1 - have : CHUNK ))
        "$TOOLS/scalegen" "$BBC" "$have" "$k" > "$tmp/chunk.ndjson"
        "$N" submit --db "$2" --rules "$RULES" --format json \
            "$tmp/chunk.ndjson" > /dev/null 2> "$tmp/err"
        have=$(sqlite3 "$2" 'SELECT count(*) FROM items')
        printf '\r  building: %d / %d items ' "$have" "$1" >&2
    done
    echo >&2
}

# timed CMD...: "wall_us cpu_us" of one run (on a loaded machine the wall
# clock mostly measures the other processes, hence CPU too).
# Wall from the clock in µs; CPU from GNU time (10 ms resolution).
# clock DB SIZE: sets $clock, the faketime start of the timed runs.
clock() {
    t=$(sqlite3 "$1" "SELECT max(received_at) FROM items WHERE id <= $2")
    [ "${NEWSGATE_SCALE_LATER:-0}" = 1 ] && t=$(( t + 86400 )) || t=$(( t + 60 ))
    clock="@$(date -u -d "@$t" '+%Y-%m-%d %H:%M:%S')"
}
timed() {
    s=$(us)
    /usr/bin/time -f '%U %S' -o "$tmp/time" env TZ=UTC faketime -f "$clock" "$@" > /dev/null 2>&1
    e=$(us)
    tail -n 1 "$tmp/time" | awk -v w=$(( e - s )) '{ printf "%d %d\n", w, ($1 + $2) * 1e6 }'
}

for name in ${@:-10000 100000 1000000}; do
    size=${name%-spread}
    db="$cache/scale-s$schema-g$gen-$name.db"
    echo "== scale: $name items ($db) =="
    if [ "$name" != "$size" ] && [ ! -f "$db" ]; then
        echo "  no $db: run tests/bench/scale-spread.sh $size first" >&2
        continue
    fi
    t0=$(us); build "$size" "$db"; t1=$(us)
    echo "  store ready in $(( (t1 - t0) / 1000000 )) s"
    [ -f "$db.copied" ] && echo "  (not built by submit: $(cat "$db.copied"), tests/bench/scale-copy.sh)"
    # A store carried over from an older schema says how (s4-scale2 made
    # the v12 ones from v11 stores: migrated, then VACUUMed to 8 KiB pages).
    [ -f "$db.converted" ] && echo "  (converted: $(cat "$db.converted"))"
    sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
    clock "$db" "$size"
    echo "  clock of check and submit: $clock UTC"
    "$TOOLS/scalegen" "$BBC" "$size" 1 > "$tmp/one.ndjson"
    "$TOOLS/scalegen" "$BBC" "$size" "$FRESH" > "$tmp/fresh.ndjson"
    for i in 1 2 3 4 5; do timed "$N" check --db "$db" --rules "$RULES" \
        --format json "$tmp/one.ndjson"; done > "$tmp/start"
    for i in 1 2 3 4 5; do timed "$N" check --rules "$RULES" \
        --format json "$tmp/one.ndjson"; done > "$tmp/bare"
    for i in 1 2 3; do timed "$N" check --db "$db" --rules "$RULES" \
        --format json "$tmp/fresh.ndjson"; done > "$tmp/chk"
    last=$(sqlite3 "$db" 'SELECT max(id) FROM items')
    # submit three times (median), the new items deleted after each run,
    # child rows first with foreign keys off: a cascade would scan
    # rule_runs (no item_id index) once per item.
    for i in 1 2 3; do
        timed "$N" submit --db "$db" --rules "$RULES" --format json \
            "$tmp/fresh.ndjson"
        sqlite3 "$db" "PRAGMA foreign_keys = OFF; BEGIN;
            DELETE FROM audit WHERE item_id > $last;
            DELETE FROM rule_runs WHERE item_id > $last;
            DELETE FROM dup_keys WHERE item_id > $last;
            DELETE FROM items WHERE id > $last; COMMIT;
            PRAGMA wal_checkpoint(TRUNCATE);" > /dev/null
    done > "$tmp/sub"
    # Columns: 1 wall, 2 CPU (µs); medians per column.
    sw=$(cut -d' ' -f1 "$tmp/start" | median 5); sc=$(cut -d' ' -f2 "$tmp/start" | median 5)
    bw=$(cut -d' ' -f1 "$tmp/bare" | median 5); bc=$(cut -d' ' -f2 "$tmp/bare" | median 5)
    cw=$(cut -d' ' -f1 "$tmp/chk" | median 3); cc=$(cut -d' ' -f2 "$tmp/chk" | median 3)
    uw=$(cut -d' ' -f1 "$tmp/sub" | median 3); uc=$(cut -d' ' -f2 "$tmp/sub" | median 3)
    echo "  start-up: check --db of one item $(( sw / 1000 )) ms wall, $(( sc / 1000 )) ms CPU (without a store $(( bw / 1000 )) / $(( bc / 1000 )) ms)"
    awk -v cw="$cw" -v cc="$cc" -v uw="$uw" -v uc="$uc" -v sw="$sw" -v sc="$sc" -v n="$FRESH" 'BEGIN {
        printf "  check --db: %.0f us/item wall, %.0f CPU; submit: %.0f us/item wall, %.0f CPU (%d new items, start-up subtracted; medians of 3)\n",
            (cw - sw) / n, (cc - sc) / n, (uw - sw) / n, (uc - sc) / n, n }'
    rule=$(sqlite3 "$db" 'SELECT rule FROM rule_runs WHERE hit = 1 GROUP BY rule ORDER BY count(*) DESC LIMIT 1')
    since=$(sqlite3 "$db" 'SELECT submitted_at FROM items WHERE id = (SELECT max(id) - 100 FROM items)')
    "$TOOLS/listbench" "$db" "${rule:-NO_URL}" user042 "$since"
    # Pages in use (the deleted fresh items leave free pages behind).
    bytes=$(sqlite3 "$db" 'SELECT (SELECT page_count FROM pragma_page_count) - (SELECT freelist_count FROM pragma_freelist_count)' | tail -n 1)
    psize=$(sqlite3 "$db" 'PRAGMA page_size')
    awk -v p="$bytes" -v ps="$psize" -v n="$size" 'BEGIN { printf "  bytes per item: %.0f (%.1f MB in use, %d-byte pages)\n", p * ps / n, p * ps / 1e6, ps }'
    # The index image beside the database is a cache rebuilt from the
    # rows (docs/duplicates.md), not part of the database; its size is
    # shown apart so the disk cost is all on the page.
    [ -f "$db-fpx" ] && awk -v b="$(stat -c %s "$db-fpx")" -v n="$size" \
        'BEGIN { printf "  index image (cache beside the database): %.0f bytes per item\n", b / n }'
    sqlite3 "$db" "SELECT '    ' || name || ': ' || (sum(pgsize) / $size) FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC LIMIT 6"
done
[ "${NEWSGATE_SCALE_LATER:-0}" = 1 ] && when="one day after" || when="one minute after"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores); check and submit $when the store's newest built item"
