#!/bin/sh
# 30-dup.sh -- near-duplicate index: look-up scaling at 10k, 100k and 1M
# synthetic items of 50 fingerprints (median/p99 µs of gathering the
# postings of all 50, bytes per item) and the time to load 1M rows of
# dup_keys from a store into memory on first use, and from the index
# image (<db>-fpx) the first load writes.  Prints figures only; no thresholds here.
tools=${NEWSGATE_TOOLS:?}
bench=$tools/bench_dupindex
[ -x "$bench" ] || { echo "30-dup: $bench not built" >&2; exit 1; }
echo "== near-duplicate index (sampled fingerprints, 8 bytes per fingerprint) =="
"$bench" scale || exit 1
if ! command -v python3 >/dev/null 2>&1; then
    echo "30-dup: python3 not found; load time not measured"
    exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$bench" init "$tmp/dup.db" || exit 1
# 1M rows of 50 sorted random fingerprints, as core writes them (foreign
# keys are off, so no item rows are needed for a load-time measurement;
# the shingles are empty: the load does not read them).  Then: the load
# from the rows, the image written on close, the start from the image.
python3 - "$tmp/dup.db" <<'PY' || exit 1
import random, sqlite3, struct, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA synchronous=OFF")
r = random.Random(1)
def rows():
    for i in range(1, 1000001):
        v = sorted(set(r.getrandbits(32) for _ in range(50)))
        yield i, struct.pack("<%dI" % len(v), *v), b""
c.executemany("INSERT INTO dup_keys (item_id, fps, shingles) VALUES (?,?,?)",
              rows())
c.commit()
PY
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
