#!/bin/sh
# 30-dup.sh -- near-duplicate index: look-up scaling at 10k, 100k and 1M
# synthetic items of 50 fingerprints (median/p99 µs of gathering the
# postings of all 50, bytes per item) and the time to load 1M rows of dup_keys from a store into
# memory on first use.  Prints figures only; no thresholds here.
tools=${NEWSGATE_TOOLS:?}
bench=$tools/bench_dupindex
[ -x "$bench" ] || { echo "30-dup: $bench not built" >&2; exit 1; }
echo "== near-duplicate index (sampled fingerprints, 8 bytes per fingerprint) =="
"$bench" scale || exit 1
if ! command -v sqlite3 >/dev/null 2>&1; then
    echo "30-dup: sqlite3 shell not found; load time not measured"
    exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$bench" init "$tmp/dup.db" || exit 1
# 1M rows of 50 random fingerprints (foreign keys are off in the sqlite3
# shell, so no item rows are needed for a load-time measurement; the
# shingles are empty: the load does not read them).
sqlite3 "$tmp/dup.db" "PRAGMA synchronous=OFF;
  INSERT INTO dup_keys (item_id, fps, shingles)
  WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c
                          WHERE x < 1000000)
  SELECT x, randomblob(200), x'' FROM c;" >/dev/null || exit 1
"$bench" load "$tmp/dup.db"

# End to end: the duplicate rules alone over the BBC corpus, first filed
# into a store (every item looks up its predecessors), then checked again
# against it (every item finds itself and its twins).
bbc=${NEWSGATE_SHARED:-../shared/data}/bbc
bin=${NEWSGATE_BIN:-}
if [ -d "$bbc" ] && [ -x "$bin" ]; then
    mkdir "$tmp/rules" && cp "${NEWSGATE_RULES:?}/duplicates.lua" "$tmp/rules/"
    find "$bbc" -name '*.txt' | sort > "$tmp/files"
    n=$(wc -l < "$tmp/files")
    for step in submit check; do
        t0=$(date +%s%N)
        xargs "$bin" "$step" --db "$tmp/bbc.db" --rules "$tmp/rules" \
            --format json < "$tmp/files" > /dev/null 2>&1
        t1=$(date +%s%N)
        awk -v n="$n" -v ns=$((t1 - t0)) -v s="$step" 'BEGIN {
            printf "duplicate rules, %s of %d BBC items: %.0f items/s, %.0f µs/item\n",
                s, n, n / (ns / 1e9), ns / 1e3 / n }'
    done
fi
