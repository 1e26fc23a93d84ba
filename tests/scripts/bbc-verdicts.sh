#!/bin/sh
# bbc-verdicts.sh -- refactoring guard: verdicts over the BBC corpus with
# a frozen copy of the original rules (tests/verdicts/rules) must not
# change.  `check` runs every file without a store; `submit` files them
# all into a fresh store, so the duplicate rules see the corpus's natural
# duplicates.  The expected file (tests/verdicts/bbc.expected) holds rule
# names, scores, spans and detail hashes, never corpus text.
#   REGEN=1 sh tests/scripts/bbc-verdicts.sh   rewrites the expected file
bin=${NEWSGATE_BIN:?}
data=${NEWSGATE_SHARED:?}/bbc
here=$(cd "$(dirname "$0")/../verdicts" && pwd)
[ -d "$data" ] || { echo "skip: $data absent"; exit 77; }
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
find "$data" -name '*.txt' ! -name 'README*' | LC_ALL=C sort > "$tmp/files"
{
    echo "# check"
    xargs "$bin" check --format json --rules "$here/rules" < "$tmp/files" \
        2>/dev/null | python3 "$here/normalize.py" "$data"
    echo "# submit"
    xargs "$bin" submit --format json --rules "$here/rules" \
        --db "$tmp/q.db" < "$tmp/files" 2>/dev/null \
        | python3 "$here/normalize.py" "$data"
} > "$tmp/actual"
if [ -n "${REGEN:-}" ]; then
    cp "$tmp/actual" "$here/bbc.expected"
    echo "rewrote $here/bbc.expected"
    exit 0
fi
n=$(grep -c . "$tmp/actual")
[ "$n" -gt 3000 ] || { echo "only $n verdict lines"; exit 1; }
if ! diff -u "$here/bbc.expected" "$tmp/actual" > "$tmp/diff"; then
    echo "verdicts changed:"; head -n 40 "$tmp/diff"; exit 1
fi
echo "$n verdict lines unchanged"
