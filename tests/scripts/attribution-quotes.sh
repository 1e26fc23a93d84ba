#!/bin/sh
# attribution-quotes.sh -- the quote attributor against the hand-labelled
# quotation sets (tests/attribution/quotes*.json, drawn from
# ../shared/data/bbc; docs/attribution.md has the labelling guide and what
# each set is).
#
# The >= 0.90 assertions are on sets the attributor was TUNED ON
# (quotes.json, quotes-tune.json): they guard against regressions, they
# do not show the accuracy on new text.  On the sets it was not tuned on
# the accuracy is below 0.90 (quotes-test.json 0.842, seen once before the
# last changes; quotes-unseen.json 0.812; quotes-fresh.json 0.867, never
# tuned on), so for them only a floor a little under the recorded figure
# is asserted, again as a regression guard.
bin=${NEWSGATE_BIN:?}
data=${NEWSGATE_SHARED:?}/bbc
[ -d "$data" ] || { echo "skip: $data absent"; exit 77; }
here=$(cd "$(dirname "$0")/../attribution" && pwd)
rc=0
check() { # LABELS MIN
    echo "$1 (at least $2):"
    python3 "$here/quote_eval.py" "$bin" "$data" "$here/$1" --min "$2" -v || rc=1
}
check quotes.json 0.90          # tuned on
check quotes-tune.json 0.90     # tuned on
check quotes-heldout.json 0.90  # its misses led to fixes: tuned on
check quotes-test.json 0.80     # held out in round 1: floor only
check quotes-unseen.json 0.80   # held out: floor only
check quotes-fresh.json 0.85    # held out: floor only
python3 "$here/quote_words_tables.py" --check "$here/../../core/quote_words.c" \
    || { echo "core/quote_words.c: tables out of date (run quote_words_tables.py)"; rc=1; }
exit $rc
