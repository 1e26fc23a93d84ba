#!/bin/sh
# 40-spam.sh -- the full default rules (rules/: basics, duplicates, spam)
# over the BBC corpus without a store: in-process engine figures, then
# `newsgate check` end to end, median of 5; then the spam learner's
# classification of one ~2 KB article against a table of 100,000 tokens.
set -u
bbc="$NEWSGATE_SHARED/bbc"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$bbc" -name '*.txt' ! -name README.TXT | sort > "$tmp/files"
n=$(wc -l < "$tmp/files")
echo "== check: $n BBC articles, full default rules (rules/) =="
xargs "$NEWSGATE_TOOLS/bench_check" "$NEWSGATE_RULES" < "$tmp/files"
for i in 1 2 3 4 5; do
    s=$(date +%s%N)
    xargs "$NEWSGATE_BIN" check --rules "$NEWSGATE_RULES" --format json \
        < "$tmp/files" > "$tmp/out" 2>/dev/null
    e=$(date +%s%N)
    echo $(( (e - s) / 1000 ))
done | sort -n | sed -n 3p > "$tmp/median"
lines=$(wc -l < "$tmp/out")
awk -v t="$(cat "$tmp/median")" -v n="$n" -v l="$lines" 'BEGIN { t = t / 1e6
    printf "check CLI end to end, full rules: %d verdicts, median %.1f ms of 5 runs: %.0f items/s, %.1f us/item\n",
        l, t * 1000, n / t, t * 1e6 / n }'
echo "== spam learner =="
"$NEWSGATE_TOOLS/bench_learn" "$bbc/business/114.txt" 100000
