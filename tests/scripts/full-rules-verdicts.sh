#!/bin/sh
# full-rules-verdicts.sh -- performance-refactoring guard for the full
# default rules (rules/): the JSON verdicts of `newsgate check` over every
# BBC article and the seed, with "timings_us" and "rules_hash" (which changes with any edit of rules/) removed, must equal those
# written by a reference binary.  Performance work must not change them.
#   SAVE=FILE sh tests/scripts/full-rules-verdicts.sh   writes the verdicts
#   REF=FILE  sh tests/scripts/full-rules-verdicts.sh   compares with FILE
bin=${NEWSGATE_BIN:?}
data=${NEWSGATE_SHARED:?}
[ -d "$data/bbc" ] || { echo "skip: $data/bbc absent"; exit 77; }
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
{ find "$data/bbc" -name '*.txt' ! -name 'README*' | LC_ALL=C sort
  find "$data/seed" -type f | LC_ALL=C sort; } > "$tmp/files"
xargs "$bin" check --format json --rules rules < "$tmp/files" 2>/dev/null \
    | python3 -c '
import json, sys
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in ("timings_us", "rules_hash")}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
for line in sys.stdin:
    print(json.dumps(strip(json.loads(line)), sort_keys=True))
' > "$tmp/actual"
n=$(grep -c . "$tmp/actual")
[ "$n" -gt 1500 ] || { echo "only $n verdicts"; exit 1; }
if [ -n "${SAVE:-}" ]; then cp "$tmp/actual" "$SAVE"; echo "saved $n"; exit 0; fi
[ -n "${REF:-}" ] || { echo "skip: no REF file"; exit 77; }
if ! cmp -s "$REF" "$tmp/actual"; then
    echo "verdicts changed:"; diff "$REF" "$tmp/actual" | head -c 3000; exit 1
fi
echo "$n full-rules verdicts unchanged"
