#!/bin/sh
# 15-full-rules.sh -- the full default rules (rules/: basics, duplicates
# without a store, spam, attribution with its publishers' list) over the
# BBC corpus: in-process engine figures (fresh and warm items, CPU time),
# then `newsgate check` end to end over the files (JSON and text) and
# over the same articles as one NDJSON stream (medians of 5, wall and
# CPU), each with the machine's load average; then the
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
k=${NEWSGATE_CHECKERS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')}
echo "== check: $n BBC articles, full default rules (rules/), $k checkers (NEWSGATE_CHECKERS), load $(load) =="
# In process: "fresh" passes check newly read items, as `newsgate check`
# does; "warm" passes re-check the same items, whose text analysis the
# first pass cached (the rules' own cost without it).
xargs "$NEWSGATE_TOOLS/bench_check" "$NEWSGATE_RULES" < "$tmp/files"
# The same articles as one NDJSON stream (title = first line).
python3 - "$tmp/files" > "$tmp/bbc.ndjson" <<'PY'
import json, sys
for path in open(sys.argv[1]).read().split():
    text = open(path, encoding="latin-1").read().strip().split("\n", 1)
    print(json.dumps({"title": text[0].strip(),
                      "body": text[1].strip() if len(text) > 1 else ""}))
PY
# End to end: the process as a user runs it (start-up, reading, checking,
# writing the verdicts), 5 runs; wall and CPU medians (CPU: perf's
# task-clock where perf runs, else user + sys from time(1), whose 10 ms
# steps are coarse).
perf=no
perf stat -x, -e task-clock -o /dev/null true 2>/dev/null && perf=yes
cli() { # label, then the newsgate arguments
    label=$1; shift
    for i in 1 2 3 4 5; do
        s=$(date +%s%N)
        if [ "$perf" = yes ]; then
            perf stat -x, -e task-clock -o "$tmp/t" "$NEWSGATE_BIN" check \
                --rules "$NEWSGATE_RULES" "$@" > "$tmp/out" 2>/dev/null
            c=$(awk -F, '/task-clock/ { print $1 / 1000 }' "$tmp/t")
        else
            /usr/bin/time -f '%U %S' -o "$tmp/t" "$NEWSGATE_BIN" check \
                --rules "$NEWSGATE_RULES" "$@" > "$tmp/out" 2>/dev/null
            c=$(tail -n 1 "$tmp/t" | awk '{ print $1 + $2 }')
        fi
        e=$(date +%s%N)
        echo "$(( (e - s) / 1000 )) $c"
    done > "$tmp/times"
    wall=$(awk '{ print $1 / 1e6 }' "$tmp/times" | sort -n | sed -n 3p)
    cpu=$(awk '{ print $2 }' "$tmp/times" | sort -n | sed -n 3p)
    # Verdicts: JSON lines, or the text form's headlines (hits are indented).
    v=$(grep -c '^[^ ]' "$tmp/out")
    awk -v label="$label" -v n="$v" -v w="$wall" -v c="$cpu" -v ld="$(load)" 'BEGIN {
        printf "check CLI end to end, %s: %d verdicts, median of 5: wall %.1f ms (%.0f items/s, %.1f us/item), CPU %.1f ms (%.0f items/s, %.1f us/item) (load %s)\n",
            label, n, w * 1000, n / w, w * 1e6 / n, c * 1000, n / c, c * 1e6 / n, ld }'
}
# shellcheck disable=SC2046  # one argument per file
cli "$n files, JSON" --format json $(cat "$tmp/files")
cli "one NDJSON stream, JSON" --format json "$tmp/bbc.ndjson"
# shellcheck disable=SC2046
cli "$n files, text" --format text $(cat "$tmp/files")
mkdir -p "$tmp/attrib/lists"
cp "$NEWSGATE_RULES/attribution.lua" "$tmp/attrib/"
cp "$NEWSGATE_RULES/lists/publishers.txt" "$tmp/attrib/lists/"
echo "== check: attribution rules alone =="
xargs "$NEWSGATE_TOOLS/bench_check" "$tmp/attrib" < "$tmp/files"
echo "== spam learner =="
"$NEWSGATE_TOOLS/bench_learn" "$bbc/business/114.txt" 100000
