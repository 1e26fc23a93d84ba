#!/bin/sh
# 35-sources.sh -- the fingerprint index under the issue 8 / 10 load:
#  * `check --db` with the full default rules against a store holding
#    10,000 registered reference sources (synthetic articles of sentences
#    of the BBC business and entertainment sections, fixed seed), over
#    the politics and sport articles as NDJSON: items/s end to end
#    (process start included: the headline) with the checkers `check`
#    runs (NEWSGATE_CHECKERS, else one a processor; printed), then with
#    one (one thread) and its CPU time per item, and the same without
#    a store and with an empty one for comparison; then, labelled apart,
#    the start-up (the same command over the first article alone) and
#    the cost per item after it ((all - start-up) / (n - 1));
#  * a flood: 20,000 near-identical items (one article, each copy with a
#    few words changed) submitted with the duplicate rules, against
#    20,000 distinct synthetic items: items/s of each.
# Prints figures only (medians of 3 where it says so); no thresholds.
bin=${NEWSGATE_BIN:?}
rules=${NEWSGATE_RULES:?}
bbc=${NEWSGATE_SHARED:-../shared/data}/bbc
[ -d "$bbc" ] || { echo "35-sources: no $bbc"; exit 0; }
command -v python3 >/dev/null 2>&1 || { echo "35-sources: no python3"; exit 0; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
python3 - "$bbc" "$tmp" <<'PY' || exit 1
import json, os, random, re, sys
root, out = sys.argv[1:3]
sents = []
for cat in ("business", "entertainment"):   # sources; politics and sport
                                            # articles are checked
    d = os.path.join(root, cat)
    if not os.path.isdir(d):
        continue
    for name in sorted(os.listdir(d)):
        try:
            text = open(os.path.join(d, name), encoding="utf-8").read()
        except UnicodeDecodeError:
            continue
        for para in text.split("\n\n")[1:]:
            sents += [s.strip() for s in re.split(r"(?<=[.!?])\s+", para)
                      if len(s.split()) > 5]
rng = random.Random(8)
def article(i):
    n = rng.randint(10, 20)
    ps = [" ".join(rng.sample(sents, 3)) for _ in range(n // 3)]
    return {"title": "Synthetic story %d" % i, "body": "\n\n".join(ps)}
with open(os.path.join(out, "sources.ndjson"), "w") as f:
    for i in range(10000):
        f.write(json.dumps(article(i)) + "\n")
with open(os.path.join(out, "distinct.ndjson"), "w") as f:
    for i in range(20000):
        f.write(json.dumps(article(100000 + i)) + "\n")
base = article(999999)
words = base["body"].split(" ")
with open(os.path.join(out, "flood.ndjson"), "w") as f:
    for i in range(20000):
        w = list(words)
        for _ in range(3):
            j = rng.randrange(len(w))
            w[j] = "edit%d" % rng.randrange(10 ** 6)
        f.write(json.dumps({"title": "Flood %d" % i, "body": " ".join(w)})
                + "\n")
PY
find "$bbc/politics" "$bbc/sport" -name '*.txt' | sort > "$tmp/files"
python3 - "$tmp/files" > "$tmp/bbc.ndjson" <<'PY'
import json, sys
for p in open(sys.argv[1]).read().split():
    try:
        t = open(p, encoding="utf-8").read().strip().split("\n", 1)
    except UnicodeDecodeError:
        continue
    print(json.dumps({"title": t[0], "body": t[1] if len(t) > 1 else "",
                      "source": "BBC News"}))
PY
rate() {    # rate N CMD...: items/s of a command over N items
    n=$1; shift
    t0=$(date +%s%N); "$@" > /dev/null 2>&1; t1=$(date +%s%N)
    awk -v n="$n" -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f", n / (ns / 1e9) }'
}
median() { tr ' ' '\n' | sort -n | sed -n 2p; }
echo "== fingerprint index: registered sources and floods =="
"$bin" sources add --publisher "Synthetic" --domain example.com \
    --db "$tmp/src.db" "$tmp/sources.ndjson" > /dev/null || exit 1
n=$(wc -l < "$tmp/bbc.ndjson")
k=${NEWSGATE_CHECKERS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')}
load() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?'; }
r=$(for i in 1 2 3; do rate "$n" "$bin" check --db "$tmp/src.db" \
    --rules "$rules" --format json "$tmp/bbc.ndjson"; echo; done | median)
echo "check --db, full default rules, 10,000 registered sources: $r items/s (median of 3, $n BBC items, $k checkers, load $(load))"
r1=$(for i in 1 2 3; do NEWSGATE_CHECKERS=1 rate "$n" "$bin" check \
    --db "$tmp/src.db" --rules "$rules" --format json "$tmp/bbc.ndjson"
    echo; done | median)
cpu() {     # cpu CHECKERS: CPU ms of the same command (perf's task-clock,
            # else user + sys from time(1), in 10 ms steps)
    if perf stat -x, -e task-clock -o "$tmp/t" true 2>/dev/null; then
        NEWSGATE_CHECKERS=$1 perf stat -x, -e task-clock -o "$tmp/t" "$bin" \
            check --db "$tmp/src.db" --rules "$rules" --format json \
            "$tmp/bbc.ndjson" > /dev/null 2>&1
        awk -F, '/task-clock/ { print $1 }' "$tmp/t"
    elif [ -x /usr/bin/time ]; then
        NEWSGATE_CHECKERS=$1 /usr/bin/time -f '%U %S' -o "$tmp/t" "$bin" \
            check --db "$tmp/src.db" --rules "$rules" --format json \
            "$tmp/bbc.ndjson" > /dev/null 2>&1
        awk '{ print ($1 + $2) * 1000 }' "$tmp/t"
    fi
}
c1=$(for i in 1 2 3; do cpu 1; done | median)
ck=$(for i in 1 2 3; do cpu "$k"; done | median)
if [ -n "$c1" ] && [ -n "$ck" ]; then
    awk -v r="$r1" -v c1="$c1" -v ck="$ck" -v n="$n" -v k="$k" 'BEGIN {
        printf "  the same with 1 checker: %s items/s; CPU per item (whole process, median of 3): %.0f us with 1 checker, %.0f us with %s\n",
            r, c1 * 1e3 / n, ck * 1e3 / n, k }'
else
    echo "  the same with 1 checker: $r1 items/s"
fi
head -1 "$tmp/bbc.ndjson" > "$tmp/one.ndjson"
ns() {      # ns CMD...: nanoseconds a command takes
    t0=$(date +%s%N); "$@" > /dev/null 2>&1; t1=$(date +%s%N)
    printf %s $((t1 - t0))
}
s1=$(for i in 1 2 3; do ns "$bin" check --db "$tmp/src.db" --rules "$rules" \
    --format json "$tmp/one.ndjson"; echo; done | median)
sn=$(for i in 1 2 3; do ns "$bin" check --db "$tmp/src.db" --rules "$rules" \
    --format json "$tmp/bbc.ndjson"; echo; done | median)
awk -v s1="$s1" -v sn="$sn" -v n="$n" 'BEGIN {
    printf "  start-up (check of 1 item, median of 3): %.1f ms; per item after it: %.0f us (%.0f items/s)\n",
        s1 / 1e6, (sn - s1) / (n - 1) / 1e3, (n - 1) / ((sn - s1) / 1e9) }'
r=$(for i in 1 2 3; do rate "$n" "$bin" check --rules "$rules" \
    --format json "$tmp/bbc.ndjson"; echo; done | median)
"$bin" submit --db "$tmp/empty.db" --rules "$rules" /dev/null >/dev/null 2>&1
e=$(for i in 1 2 3; do rate "$n" "$bin" check --db "$tmp/empty.db" \
    --rules "$rules" --format json "$tmp/bbc.ndjson"; echo; done | median)
echo "the same without a store: $r items/s; with an empty store: $e items/s"
mkdir "$tmp/dup" && cp "$rules/duplicates.lua" "$tmp/dup/"
d=$(rate 20000 "$bin" submit --db "$tmp/distinct.db" --rules "$tmp/dup" \
    "$tmp/distinct.ndjson")
f=$(rate 20000 "$bin" submit --db "$tmp/flood.db" --rules "$tmp/dup" \
    "$tmp/flood.ndjson")
echo "submit with the duplicate rules: 20,000 distinct $d items/s; 20,000 near-identical $f items/s"
