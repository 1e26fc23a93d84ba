#!/bin/sh
# full-rules-verdicts.sh -- performance-refactoring guard for the full
# default rules (rules/): the JSON verdicts of `newsgate check` over every
# BBC article, the seed and every YouTube comment (the spam rules' own
# ground; each comment an item as in tests/spam), with "timings_us" and
# "rules_hash" (which changes with any edit of rules/) removed, must equal
# those written by a reference binary or rule set.  Performance work must
# not change them.
#   SAVE=FILE sh tests/scripts/full-rules-verdicts.sh   writes the verdicts
#   REF=FILE  sh tests/scripts/full-rules-verdicts.sh   compares with FILE
# Without REF (as in `make test`) it skips.
bin=${NEWSGATE_BIN:?}
data=${NEWSGATE_SHARED:?}
[ -d "$data/bbc" ] || { echo "skip: $data/bbc absent"; exit 77; }
[ -n "${REF:-}${SAVE:-}" ] || { echo "skip: no REF file"; exit 77; }
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
{ find "$data/bbc" -name '*.txt' ! -name 'README*' | LC_ALL=C sort
  find "$data/seed" -type f | LC_ALL=C sort; } > "$tmp/files"
python3 - "$data/youtube-spam" > "$tmp/youtube.ndjson" <<'PY'
import csv, glob, json, sys
for f in sorted(glob.glob(sys.argv[1] + "/*.csv")):
    for r in csv.DictReader(open(f, encoding="utf-8")):
        print(json.dumps({"title": "Comment by " + r["AUTHOR"],
                          "body": r["CONTENT"], "submitter": r["AUTHOR"]}))
PY
[ -s "$tmp/youtube.ndjson" ] && echo "$tmp/youtube.ndjson" >> "$tmp/files"
xargs "$bin" check --format json --rules rules < "$tmp/files" 2>/dev/null \
    | python3 -c '
import json, sys
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items()
                if k not in ("timings_us", "rules_hash")}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
for line in sys.stdin:
    v = strip(json.loads(line))
    if str(v.get("input", "")).endswith("/youtube.ndjson"):
        v["input"] = "youtube.ndjson"   # not the temporary directory
    print(json.dumps(v, sort_keys=True))
' > "$tmp/actual"
n=$(grep -c . "$tmp/actual")
[ "$n" -gt 1500 ] || { echo "only $n verdicts"; exit 1; }
if [ -n "${SAVE:-}" ]; then cp "$tmp/actual" "$SAVE"; echo "saved $n"; exit 0; fi
if ! cmp -s "$REF" "$tmp/actual"; then
    echo "verdicts changed:"; diff "$REF" "$tmp/actual" | head -c 3000; exit 1
fi
echo "$n full-rules verdicts unchanged"
