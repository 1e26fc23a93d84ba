#!/bin/sh
# spam-queue.sh -- moderators train the learner without extra steps:
# `queue reject --spam` learns the item as spam, `queue approve` as ham,
# a plain `queue reject` learns nothing; each learning is in the audit
# trail.  Checked by learning the same items again with `newsgate learn`
# (unchanged = already learned as that class).
bin=${NEWSGATE_BIN:?}
here=$(cd "$(dirname "$0")/../spam" && pwd)
learn=$(cd "$(dirname "$0")/../../rules/learn" && pwd)
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
db=$tmp/q.db
for i in 1 2 3; do
    sed -n "${i}p" "$learn/spam.ndjson" > "$tmp/item$i.ndjson"
done
cat "$tmp/item1.ndjson" "$tmp/item2.ndjson" "$tmp/item3.ndjson" \
    > "$tmp/all.ndjson"
"$bin" submit --db "$db" --format json "$tmp/all.ndjson" > /dev/null
[ $? -le 2 ] || fail "submit"
"$bin" queue reject 1 --db "$db" --by mod --reason "spam" --spam \
    > /dev/null || fail "reject --spam"
"$bin" queue approve 2 --db "$db" --by mod > /dev/null || fail "approve"
"$bin" queue reject 3 --db "$db" --by mod --reason "off topic" \
    > /dev/null || fail "reject"
"$bin" queue show 1 --db "$db" --format json | grep -q '"action":"learn","detail":"spam"' \
    || fail "no learn entry in the audit trail of #1"
out=$("$bin" learn spam --db "$db" "$tmp/item1.ndjson")
[ "$out" = "learned 0, moved 0, unchanged 1" ] || fail "#1 not learned as spam: $out"
out=$("$bin" learn ham --db "$db" "$tmp/item2.ndjson")
[ "$out" = "learned 0, moved 0, unchanged 1" ] || fail "#2 not learned as ham: $out"
out=$("$bin" learn spam --db "$db" "$tmp/item3.ndjson")
[ "$out" = "learned 1, moved 0, unchanged 0" ] || fail "#3 was learned by a plain reject: $out"
echo "reject --spam, approve and reject train the learner as documented"
