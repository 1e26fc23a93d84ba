#!/bin/sh
# 25-floor.sh -- `submit` against its floor (issue 8): the BBC corpus
# (one NDJSON stream) submitted into a fresh database, median of 5, then
# the same rows written by a plain SQLite writer (tests/tools/floorwrite:
# same schema, WAL, synchronous = FULL, 256 items a transaction, one
# INSERT a row), median of 5, in the same run.  Prints items/s of both
# (wall clock and CPU) and the ratio.  submit runs twice: with the full
# default rules, and with the foundation's two rule files alone (the
# default rules when issue 8 was filed), which shows the store's own
# overhead (keys, JSON, statements, commits) against the floor.
set -u
bbc="$NEWSGATE_SHARED/bbc"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$bbc" -name '*.txt' ! -name README.TXT | sort > "$tmp/files"
# One NDJSON line per article: title = first line, body = the rest.
python3 - "$tmp/files" > "$tmp/bbc.ndjson" <<'PY'
import json, sys
for path in open(sys.argv[1]).read().split():
    text = open(path, encoding="latin-1").read().strip().split("\n", 1)
    print(json.dumps({"title": text[0].strip(),
                      "body": text[1].strip() if len(text) > 1 else ""}))
PY
n=$(wc -l < "$tmp/bbc.ndjson")
echo "== submit vs the plain-SQLite floor: $n BBC articles, fresh database =="
median() { sort -n | sed -n 3p; }
# submit_runs RULES OUT: five submits of the corpus into a fresh database
# with the rules directory RULES; "wall cpu" seconds per line into OUT.
submit_runs() {
    for i in 1 2 3 4 5; do
        rm -f "$tmp"/q.db*
        /usr/bin/time -f '%e %U %S' -o "$tmp/t" "$NEWSGATE_BIN" submit \
            --db "$tmp/q.db" --rules "$1" --format json \
            "$tmp/bbc.ndjson" > /dev/null 2>&1
        tail -n 1 "$tmp/t" | awk '{ printf "%.4f %.4f\n", $1, $2 + $3 }'
    done > "$2"
}
# The foundation's rules alone (the default rules when issue 8 was filed):
# the store's own overhead shows against the floor without the later
# rule files' checking cost.
mkdir "$tmp/foundation"
cp "$NEWSGATE_RULES/basics.lua" "$NEWSGATE_RULES/duplicates.lua" \
    "$tmp/foundation/"
submit_runs "$tmp/foundation" "$tmp/submit-foundation"
submit_runs "$NEWSGATE_RULES" "$tmp/submit"
# The floor's own figure times its writes only (not loading the rows).
for i in 1 2 3 4 5; do
    rm -f "$tmp"/f.db*
    "$NEWSGATE_TOOLS/floorwrite" "$tmp/q.db" "$tmp/f.db" \
        | sed 's/.* in \([0-9.]*\) ms.*(CPU \([0-9.]*\) ms).*/\1 \2/'
done > "$tmp/floor"
stored=$(sqlite3 "$tmp/q.db" 'SELECT count(*) FROM items')
sw=$(cut -d' ' -f1 "$tmp/submit" | median); sc=$(cut -d' ' -f2 "$tmp/submit" | median)
bw=$(cut -d' ' -f1 "$tmp/submit-foundation" | median); bc=$(cut -d' ' -f2 "$tmp/submit-foundation" | median)
fw=$(cut -d' ' -f1 "$tmp/floor" | median); fc=$(cut -d' ' -f2 "$tmp/floor" | median)
awk -v n="$stored" -v sw="$sw" -v sc="$sc" -v bw="$bw" -v bc="$bc" \
    -v fw="$fw" -v fc="$fc" 'BEGIN {
    fw = fw / 1000; fc = fc / 1000
    printf "submit, default rules (CLI end to end, process start included): %d items, median of 5 wall %.0f ms = %.0f items/s (CPU %.0f ms = %.0f items/s)\n",
        n, sw * 1000, n / sw, sc * 1000, n / sc
    printf "submit, foundation rules only (basics.lua + duplicates.lua): median of 5 wall %.0f ms = %.0f items/s (CPU %.0f ms = %.0f items/s)\n",
        bw * 1000, n / bw, bc * 1000, n / bc
    printf "plain SQLite floor (same rows, same durability, batches of 256): median of 5 wall %.0f ms = %.0f items/s (CPU %.0f ms = %.0f items/s)\n",
        fw * 1000, n / fw, fc * 1000, n / fc
    printf "submit / floor, default rules: %.0f%% (wall), %.0f%% (CPU)\n", 100 * fw / sw, 100 * fc / sc
    printf "submit / floor, foundation rules: %.0f%% (wall), %.0f%% (CPU)\n", 100 * fw / bw, 100 * fc / bc }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores; wall figures suffer when it is high)"
