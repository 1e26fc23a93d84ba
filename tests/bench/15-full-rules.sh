#!/bin/sh
# 15-full-rules.sh -- the full default rules (rules/: basics, duplicates
# without a store, spam, attribution with its publishers' list) over the
# BBC corpus: in-process engine figures, then `newsgate check` end to end
# (median of 5), each with the machine's load average; then the
# attribution rules alone in-process, and the spam learner's
# classification of one ~2 KB article against a table of 100,000 tokens.
# (Replaces 15-attrib.sh and 40-spam.sh, which measured the full rules
# twice.)
set -u
bbc="$NEWSGATE_SHARED/bbc"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$bbc" -name '*.txt' ! -name README.TXT | sort > "$tmp/files"
n=$(wc -l < "$tmp/files")
load() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?'; }
echo "== check: $n BBC articles, full default rules (rules/), load $(load) =="
xargs "$NEWSGATE_TOOLS/bench_check" "$NEWSGATE_RULES" < "$tmp/files"
for i in 1 2 3 4 5; do
    s=$(date +%s%N)
    xargs "$NEWSGATE_BIN" check --rules "$NEWSGATE_RULES" --format json \
        < "$tmp/files" > "$tmp/out" 2>/dev/null
    e=$(date +%s%N)
    echo $(( (e - s) / 1000 ))
done | sort -n | sed -n 3p > "$tmp/median"
lines=$(wc -l < "$tmp/out")
awk -v t="$(cat "$tmp/median")" -v n="$n" -v l="$lines" -v ld="$(load)" 'BEGIN { t = t / 1e6
    printf "check CLI end to end, full rules: %d verdicts, median %.1f ms of 5 runs: %.0f items/s, %.1f us/item (load %s)\n",
        l, t * 1000, n / t, t * 1e6 / n, ld }'
mkdir -p "$tmp/attrib/lists"
cp "$NEWSGATE_RULES/attribution.lua" "$tmp/attrib/"
cp "$NEWSGATE_RULES/lists/publishers.txt" "$tmp/attrib/lists/"
echo "== check: attribution rules alone =="
xargs "$NEWSGATE_TOOLS/bench_check" "$tmp/attrib" < "$tmp/files"
echo "== spam learner =="
"$NEWSGATE_TOOLS/bench_learn" "$bbc/business/114.txt" 100000
