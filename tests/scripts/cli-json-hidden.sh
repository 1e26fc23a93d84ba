#!/bin/sh
# cli-json-hidden.sh -- every JSON the CLI writes escapes the C1 controls
# and the invisible direction and line controls as \uXXXX, as verdicts
# (cli/json-escapes-bidi) and the queue (queue-json-escapes.sh) do:
# `stats` over verdict lines and over a store, and `replay`, are given
# rule names carrying U+0085, U+202E and U+2066 (in verdict lines, and in
# a store's rule runs and stored verdict, edited with sqlite3 as a
# tampered or foreign store would hold them); no raw one may come out,
# the escapes must, and a JSON reader must get the names back.  `sources
# list` and the text forms of stats and replay must not print them raw
# either.
set -u
cd "$(dirname "$0")/../.." || exit 70
N=$NEWSGATE_BIN
command -v sqlite3 > /dev/null || { echo "skip: no sqlite3"; exit 77; }
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
fail=0
bad() { printf 'FAIL: %s\n' "$*"; fail=1; }
NEL=$(printf '\302\205') RLO=$(printf '\342\200\256') LRI=$(printf '\342\201\246')
name="EVIL${NEL}A${RLO}B${LRI}C"

# No raw hidden code point in file $2 (what $1 names), and the escapes.
check_out() {
    was=$fail
    for raw in "$NEL" "$RLO" "$LRI"; do
        ! grep -qF -- "$raw" "$2" || bad "$1: a raw hidden code point"
    done
    for esc in '\u0085' '\u202E' '\u2066'; do
        grep -qF -- "$esc" "$2" || bad "$1: no $esc"
    done
    python3 - "$2" "$name" <<'PY' || bad "$1: the name does not read back"
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
assert sys.argv[2] in json.dumps(json.loads(text), ensure_ascii=False)
PY
    [ $fail -eq $was ] || sed 's/^/    /' "$2"
}

# stats over verdict lines: the name arrives escaped, jansson decodes it.
printf '{"action":"accept","hits":[{"rule":"EVIL\\u0085A\\u202EB\\u2066C"}],"errors":[],"profile":{"analysis_us":1,"rules":{"EVIL\\u0085A\\u202EB\\u2066C":7}}}\n' \
    > "$T/verdicts"
"$N" stats --format json "$T/verdicts" > "$T/stats" 2> "$T/err" ||
    bad "stats: $(cat "$T/err")"
check_out "stats" "$T/stats"

# A store whose rule runs and stored verdict name the rule.
"$N" submit --db "$T/q.db" --rules tests/cli/data/hostile/rules \
    tests/cli/data/hostile/item.json > /dev/null 2> "$T/err" ||
    { bad "submit: $(cat "$T/err")"; exit 1; }
sqlite3 "$T/q.db" "UPDATE rule_runs SET rule = '$name' WHERE rule = 'ECHO_FIELDS';
    UPDATE items SET verdict = '{\"action\":\"accept\",\"score\":1,\"hits\":[{\"rule\":\"$name\",\"score\":1}],\"errors\":[]}';" ||
    { bad "sqlite3"; exit 1; }
"$N" stats --db "$T/q.db" --format json > "$T/dbstats" 2> "$T/err" ||
    bad "stats --db: $(cat "$T/err")"
check_out "stats --db" "$T/dbstats"
"$N" replay --db "$T/q.db" --rules tests/cli/data/hostile/rules \
    --format json > "$T/replay" 2> "$T/err" || bad "replay: $(cat "$T/err")"
check_out "replay" "$T/replay"

# The text forms: escaped for the terminal.
"$N" stats --format text "$T/verdicts" > "$T/t-stats" 2>&1 || bad "stats text"
"$N" stats --db "$T/q.db" --format text > "$T/t-dbstats" 2>&1 || bad "stats --db text"
"$N" replay --db "$T/q.db" --rules tests/cli/data/hostile/rules \
    --format text > "$T/t-replay" 2>&1 || bad "replay text"
for f in t-stats t-dbstats t-replay; do
    for raw in "$NEL" "$RLO" "$LRI"; do
        ! grep -qF -- "$raw" "$T/$f" || bad "$f: a raw hidden code point"
    done
    grep -qF 'EVIL\u0085A\u202eB\u2066C ' "$T/$f" || bad "$f: $(cat "$T/$f")"
done

# sources list is text: escaped for the terminal.
"$N" sources add --db "$T/q.db" --publisher "$name" \
    tests/cli/data/hostile/bidi.json > /dev/null 2> "$T/err" ||
    bad "sources add: $(cat "$T/err")"
"$N" sources list --db "$T/q.db" > "$T/sources" 2> "$T/err" ||
    bad "sources list: $(cat "$T/err")"
for raw in "$NEL" "$RLO" "$LRI"; do
    ! grep -qF -- "$raw" "$T/sources" || bad "sources list: a raw hidden code point"
done
grep -qF 'EVIL\u0085A\u202eB\u2066C' "$T/sources" || bad "sources list: $(cat "$T/sources")"

[ $fail -eq 0 ] && echo "ok: stats, replay and sources list escape the hidden code points"
exit $fail
