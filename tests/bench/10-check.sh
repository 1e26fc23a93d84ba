#!/bin/sh
# 10-check.sh -- `newsgate check` over the BBC corpus with the starter
# rules (rules/basics.lua): in-process engine figures, then the whole CLI
# end to end (process start, reading 1,824 files, JSON out), median of 5.
set -u
bbc="$NEWSGATE_SHARED/bbc"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/rules"
cp rules/basics.lua "$tmp/rules/"
find "$bbc" -name '*.txt' ! -name README.TXT | sort > "$tmp/files"
n=$(wc -l < "$tmp/files")
k=${NEWSGATE_CHECKERS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')}
echo "== check: $n BBC articles, starter rules, $k checkers (NEWSGATE_CHECKERS) =="
xargs "$NEWSGATE_TOOLS/bench_check" "$tmp/rules" < "$tmp/files"
for i in 1 2 3 4 5; do
    s=$(date +%s%N)
    xargs "$NEWSGATE_BIN" check --rules "$tmp/rules" --format json < "$tmp/files" > "$tmp/out" 2>/dev/null
    e=$(date +%s%N)
    echo $(( (e - s) / 1000 ))
done | sort -n | sed -n 3p > "$tmp/median"
lines=$(wc -l < "$tmp/out")
awk -v t="$(cat "$tmp/median")" -v n="$n" -v l="$lines" 'BEGIN { t = t / 1e6
    printf "check CLI end to end: %d verdicts, median %.1f ms of 5 runs: %.0f items/s, %.1f us/item\n",
        l, t * 1000, n / t, t * 1e6 / n }'
