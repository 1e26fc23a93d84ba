#!/bin/sh
# 15-attrib.sh -- `newsgate check` over the BBC corpus with the full
# default rules (rules/: basics, duplicates without a store, attribution
# with its publishers list), in-process and end to end (median of 5), and
# the attribution rules alone in-process.
set -u
bbc="$NEWSGATE_SHARED/bbc"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$bbc" -name '*.txt' ! -name README.TXT | sort > "$tmp/files"
n=$(wc -l < "$tmp/files")
echo "== check: $n BBC articles, full default rules =="
xargs "$NEWSGATE_TOOLS/bench_check" rules < "$tmp/files"
for i in 1 2 3 4 5; do
    s=$(date +%s%N)
    xargs "$NEWSGATE_BIN" check --rules rules --format json < "$tmp/files" > "$tmp/out" 2>/dev/null
    e=$(date +%s%N)
    echo $(( (e - s) / 1000 ))
done | sort -n | sed -n 3p > "$tmp/median"
lines=$(wc -l < "$tmp/out")
awk -v t="$(cat "$tmp/median")" -v n="$n" -v l="$lines" 'BEGIN { t = t / 1e6
    printf "check CLI end to end (full rules): %d verdicts, median %.1f ms of 5 runs: %.0f items/s, %.1f us/item\n",
        l, t * 1000, n / t, t * 1e6 / n }'
mkdir -p "$tmp/attrib/lists"
cp rules/attribution.lua "$tmp/attrib/"
cp rules/lists/publishers.txt "$tmp/attrib/lists/"
echo "== check: attribution rules alone =="
xargs "$NEWSGATE_TOOLS/bench_check" "$tmp/attrib" < "$tmp/files"
