#!/bin/sh
# attribution-quotes.sh -- the quote attributor finds the speaker of at
# least 90% of the hand-labelled quotations (tests/attribution/quotes.json,
# drawn from ../shared/data/bbc).
bin=${NEWSGATE_BIN:?}
data=${NEWSGATE_SHARED:?}/bbc
[ -d "$data" ] || { echo "skip: $data absent"; exit 77; }
here=$(cd "$(dirname "$0")/../attribution" && pwd)
python3 "$here/quote_eval.py" "$bin" "$data" --min 0.90 -v
