#!/bin/sh
# 40-replay.sh -- `newsgate replay` over a large store with the default
# rules.  The store holds N items (default 100,000) made from the BBC
# corpus: each item joins three paragraphs of different articles, so the
# texts are distinct and the duplicate rules do real look-ups; one item in
# 50 is an exact repost and one in 20 is decided by a moderator.  Prints
# the median of 3 replays (the store is built once): wall time and the
# CPU time (user + system) of the one process, which is what "on one
# core" means on a shared machine.
N=${REPLAY_ITEMS:-100000}
bin=${NEWSGATE_BIN:?}
data=${NEWSGATE_SHARED:?}/bbc
[ -d "$data" ] || { echo "replay bench: no $data"; exit 0; }
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
python3 - "$data" "$N" > "$T/items.ndjson" <<'PY'
import json, os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
paras = []
for d, _, files in os.walk(root):
    for f in sorted(files):
        if not f.endswith(".txt"):
            continue
        try:
            text = open(os.path.join(d, f), encoding="utf-8").read()
        except UnicodeDecodeError:
            continue
        paras += [p.strip() for p in text.split("\n\n")[1:] if len(p.split()) > 15]
rnd = random.Random(7)
for i in range(n):
    if i % 50 == 49:
        i = i - 1 - rnd.randrange(min(i, 1000))   # a repost of an earlier item
        rnd2 = random.Random(i)
    else:
        rnd2 = random.Random(i)
    body = "\n\n".join(rnd2.sample(paras, 3))
    print(json.dumps({"title": "Story %d: %s" % (i, " ".join(body.split()[:6])),
                      "body": body, "url": "https://news.example.org/%d" % i,
                      "submitter": "user%d" % (i % 997)}))
PY
start=$(date +%s.%N)
NEWSGATE_RULES=$NEWSGATE_RULES "$bin" submit --db "$T/q.db" --format json "$T/items.ndjson" > /dev/null 2>&1
echo "replay bench: $N items stored in $(echo "$(date +%s.%N) - $start" | bc) s"
sqlite3 "$T/q.db" "UPDATE items SET status = CASE WHEN id % 40 = 0 THEN 'rejected' ELSE 'accepted' END, decided_by = 'bench', decided_at = received_at WHERE id % 20 = 0" 2>/dev/null
walls="" cpus=""
for run in 1 2 3; do
    /usr/bin/time -f "%e %U %S" -o "$T/time" "$bin" replay --db "$T/q.db" \
        --format json > "$T/out" || { echo "replay failed"; exit 1; }
    read -r wall user sys < "$T/time"
    walls="$walls $wall"
    cpus="$cpus $(echo "$user + $sys" | bc)"
done
med() { echo $* | tr ' ' '\n' | sort -n | sed -n 2p; }
echo "replay bench: replay of $N items, median of 3: $(med $cpus) s CPU," \
     "$(med $walls) s wall (CPU:$cpus; wall:$walls)"
head -c 300 "$T/out"; echo
