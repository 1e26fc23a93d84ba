#!/bin/sh
# attribution-bbc.sh -- genuine BBC articles submitted with their credit
# (source BBC, a bbc.co.uk/news URL) reach review at most 0.5% of the time
# with the default rules.
bin=${NEWSGATE_BIN:?}
data=${NEWSGATE_SHARED:?}/bbc
rules=${NEWSGATE_RULES:-rules}
[ -d "$data" ] || { echo "skip: $data absent"; exit 77; }
here=$(cd "$(dirname "$0")/../attribution" && pwd)
python3 "$here/bbc_credited.py" "$bin" "$data" "$rules" --max 0.005
