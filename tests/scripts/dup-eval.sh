#!/bin/sh
# dup-eval.sh -- the duplicate-detection evaluation over the BBC corpus
# (tests/dup/*.py): precision/recall against brute-force shingle Jaccard,
# and recall per transformation with the false-positive rate between
# different articles; copies of registered reference sources with and
# without credit (source_eval.py, the COPIED_SOURCE rule).  Fails when a target is missed; skips (77) without
# ../shared/data/bbc or python3.  Takes about 30 s.
bin=${NEWSGATE_BIN:?}
rules=${NEWSGATE_RULES:?}
bbc=${NEWSGATE_SHARED:-../shared/data}/bbc
[ -d "$bbc" ] || { echo "no $bbc: skipped"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "no python3: skipped"; exit 77; }
here=$(cd "$(dirname "$0")/../dup" && pwd) || exit 70
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
rc=0
python3 "$here/bbc_eval.py" "$bin" "$rules" "$bbc" "$tmp" || rc=1
echo
python3 "$here/transform_eval.py" "$bin" "$rules" "$bbc" "$tmp" || rc=1
echo
python3 "$here/source_eval.py" "$bin" "$rules" "$bbc" "$tmp" || rc=1
exit $rc
