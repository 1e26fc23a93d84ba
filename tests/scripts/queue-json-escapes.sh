#!/bin/sh
# queue-json-escapes.sh -- the queue's JSON (`queue list`, `queue show`,
# built with jansson in core/report.c) escapes the C1 controls and the
# invisible direction and line controls as \uXXXX, as verdicts do
# (cli/json-escapes-bidi): an item whose title and detail carry them is
# submitted, then listed and shown; no raw U+0085, U+202E or U+2066 may
# be in the output, the escapes must be, and a JSON reader must get the
# original strings back.
set -u
cd "$(dirname "$0")/../.." || exit 70
N=$NEWSGATE_BIN
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
fail=0
bad() { printf 'FAIL: %s\n' "$*"; fail=1; }

"$N" submit --db "$T/q.db" --rules tests/cli/data/hostile/rules \
    tests/cli/data/hostile/bidi.json > "$T/sub" 2> "$T/err" ||
    { bad "submit: $(cat "$T/err")"; exit 1; }
id=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$T/sub")
[ -n "$id" ] || { bad "no id in: $(cat "$T/sub")"; exit 1; }
"$N" queue list --db "$T/q.db" --status accepted --format json > "$T/list" 2>> "$T/err" ||
    bad "queue list: $(cat "$T/err")"
"$N" queue show "$id" --db "$T/q.db" --format json > "$T/show" 2>> "$T/err" ||
    bad "queue show: $(cat "$T/err")"
for f in list show; do
    for raw in "$(printf '\302\205')" "$(printf '\342\200\256')" "$(printf '\342\201\246')"; do
        ! grep -qF -- "$raw" "$T/$f" || bad "$f: a raw hidden code point"
    done
    grep -qF -- '\u202E' "$T/$f" || bad "$f: no \\u202E"
done
grep -qF -- '\u0085' "$T/show" || bad "show: no \\u0085"
python3 - "$T/show" tests/cli/data/hostile/bidi.json <<'PY' || bad "show: the strings read back differ"
import json, sys
shown = json.load(open(sys.argv[1], encoding="utf-8"))
item = json.load(open(sys.argv[2], encoding="utf-8"))
text = json.dumps(shown, ensure_ascii=False)
assert item["title"] in text, "title"
assert item["body"] in text, "body"
PY
[ $fail -eq 0 ] && echo "ok: queue list and show escape the hidden code points"
exit $fail
