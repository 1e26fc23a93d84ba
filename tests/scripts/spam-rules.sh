#!/bin/sh
# spam-rules.sh -- every default spam rule (rules/spam.lua, rules/spam_history.lua) fires on at
# least one case and stays quiet on at least one near miss.
#   tests/spam/cases.ndjson        rules that need no store
#   tests/spam/store-cases.ndjson  rate limits and learner bands: checked
#                                  with --db against a store holding
#                                  tests/spam/store-history.ndjson and a
#                                  learner trained on rules/learn/spam.ndjson and ham.ndjson
# Also: learning twice counts once, relearning moves, and without a store
# the store rules stay quiet.
bin=${NEWSGATE_BIN:?}
here=$(cd "$(dirname "$0")/../spam" && pwd)
learn=$(cd "$(dirname "$0")/../../rules/learn" && pwd)
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$bin" check --format json "$here/cases.ndjson" > "$tmp/plain.json"
[ $? -le 2 ] || fail "check of cases.ndjson"

db=$tmp/q.db
"$bin" submit --db "$db" --format json "$here/store-history.ndjson" \
    > /dev/null || [ $? -le 2 ] || fail "submit history"
out=$("$bin" learn spam --db "$db" "$learn/spam.ndjson") || fail "learn spam"
[ "$out" = "learned 12, moved 0, unchanged 0" ] || fail "learn spam: $out"
out=$("$bin" learn ham --db "$db" "$learn/ham.ndjson") || fail "learn ham"
[ "$out" = "learned 12, moved 0, unchanged 0" ] || fail "learn ham: $out"
out=$("$bin" learn ham --db "$db" "$learn/ham.ndjson")
[ "$out" = "learned 0, moved 0, unchanged 12" ] || fail "learn ham again: $out"
head -n 1 "$learn/ham.ndjson" > "$tmp/one.ndjson"
out=$("$bin" learn spam --db "$db" "$tmp/one.ndjson")
[ "$out" = "learned 0, moved 1, unchanged 0" ] || fail "relearn as spam: $out"
out=$("$bin" learn ham --db "$db" "$tmp/one.ndjson")
[ "$out" = "learned 0, moved 1, unchanged 0" ] || fail "relearn as ham: $out"

"$bin" check --format json --db "$db" "$here/store-cases.ndjson" \
    > "$tmp/store.json"
[ $? -le 2 ] || fail "check of store-cases.ndjson"
"$bin" check --format json "$here/store-cases.ndjson" > "$tmp/nostore.json"
if grep -E '"rule":"(BAYES_[0-9]+|SUBMITTER_FLOOD|DOMAIN_FLOOD)"' \
    "$tmp/nostore.json"; then
    fail "store rules fired without a store"
fi
cat rules/spam.lua rules/spam_history.lua > "$tmp/spam-all.lua"
python3 "$here/check_cases.py" --cover "$tmp/spam-all.lua" \
    "$here/cases.ndjson" "$tmp/plain.json" \
    "$here/store-cases.ndjson" "$tmp/store.json"
