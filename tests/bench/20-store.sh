#!/bin/sh
# 20-store.sh -- the store: `newsgate submit` of the BBC corpus into a
# fresh database with durable settings (WAL, synchronous=FULL, batches of
# 256 items / 50 ms), end to end through the CLI with the project's rules,
# median of 3; then the publisher hand-off (claim + ack pairs, one
# transaction each) and, to read both, the cost of one fdatasync here.
set -u
bbc="$NEWSGATE_SHARED/bbc"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$bbc" -name '*.txt' ! -name README.TXT | sort > "$tmp/files"
n=$(wc -l < "$tmp/files")
echo "== store: submit $n BBC articles into a fresh database =="
"$NEWSGATE_TOOLS/fsynccost" "$tmp"
for i in 1 2 3; do
    rm -f "$tmp"/q.db*
    s=$(date +%s%N)
    xargs "$NEWSGATE_BIN" submit --db "$tmp/q.db" --rules "$NEWSGATE_RULES" \
        --format json < "$tmp/files" > "$tmp/out" 2>/dev/null
    e=$(date +%s%N)
    echo $(( (e - s) / 1000 ))
done | sort -n | sed -n 2p > "$tmp/median"
stored=$(grep -c '^{"id":' "$tmp/out")
awk -v t="$(cat "$tmp/median")" -v n="$stored" 'BEGIN { t = t / 1e6
    printf "submit CLI end to end: %d items stored, median %.1f ms of 3 runs: %.0f items/s, %.1f us/item\n",
        n, t * 1000, n / t, t * 1e6 / n }'
echo "== store: claim + ack =="
"$NEWSGATE_TOOLS/claimbench" "$tmp/c.db" 5000
