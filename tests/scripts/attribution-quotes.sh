#!/bin/sh
# attribution-quotes.sh -- the quote attributor against the hand-labelled
# quotation sets (tests/attribution/quotes*.json, drawn from
# ../shared/data/bbc, plus passages written for the sets in
# tests/attribution/passages; docs/attribution.md has the labelling guide
# and what each set is).
#
# The assertions are regression guards, a little under the figures
# recorded in docs/attribution.md, not claims about new text: every set
# but the held-out ones has been developed on (its misses read and
# fixed).  Held out (misses never printed, no -v): quotes-final4.json
# (labelled in round 6, 0.908 now; see tests/attribution/README.md) and
# quotes-final7.json (labelled in round 8: 0.862 before and after;
# 0.862 again at the end of round 9).
# quotes-final5.json and quotes-final6.json (round 7's sets) are
# developed on: 0.980 and 0.931.
# quotes-final2.json and quotes-final3.json were held out until round 6,
# whose misses were read: tuning sets now (0.890, 0.922), as is
# quotes-final.json since round 5 (0.964).
bin=${NEWSGATE_BIN:?}
data=${NEWSGATE_SHARED:?}/bbc
[ -d "$data" ] || { echo "skip: $data absent"; exit 77; }
here=$(cd "$(dirname "$0")/../attribution" && pwd)
rc=0
check() { # LABELS MIN [-v]
    echo "$1 (at least $2):"
    python3 "$here/quote_eval.py" "$bin" "$data" "$here/$1" --min "$2" $3 || rc=1
}
check quotes.json 0.95 -v
check quotes-tune.json 0.94 -v
check quotes-heldout.json 0.90 -v
check quotes-test.json 0.95 -v
check quotes-unseen.json 0.90 -v
check quotes-fresh.json 0.94 -v
check quotes-dev.json 0.95 -v
check quotes-dev2.json 0.93 -v
check quotes-dev3.json 0.92 -v
check quotes-final.json 0.94 -v   # held out until round 5, tuned on since
check quotes-final2.json 0.87 -v  # held out until round 6, tuned on since
check quotes-final3.json 0.90 -v  # held out until round 6, tuned on since
check quotes-final4.json 0.88     # untouched (round 6): no -v
check quotes-final5.json 0.96 -v  # labelled in round 7, developed on
check quotes-final6.json 0.91 -v  # held out in round 7, developed on in round 8
check quotes-final7.json 0.83     # untouched (round 8): no -v
python3 "$here/quote_words_tables.py" --check "$here/../../core/quote_words.c" \
    || { echo "core/quote_words.c: tables out of date (run quote_words_tables.py)"; rc=1; }
exit $rc
