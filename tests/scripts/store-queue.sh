#!/bin/sh
# store-queue.sh -- the moderation queue end to end through the CLI:
# submit, idempotent resubmission, list / show, approve / reject (and
# that decisions stick), claim / ack / release, and lease expiry.
set -u
N=$NEWSGATE_BIN
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
db=$T/q.db
fail() { echo "FAIL: $*"; exit 1; }
q() { "$N" queue "$@" --db "$db"; }

cat > "$T/in.ndjson" <<'JSON'
{"title":"Council approves park budget","body":"The city council voted on Tuesday to approve a budget for the new riverside park, officials said.","url":"https://www.example.org/park","source":"Example News","submitter":"ann","external_id":"k-park"}
{"title":"Team wins the regional final","body":"The local team won the regional final on Saturday after a late goal, according to the league.","url":"https://sports.example.net/final","source":"Example Sports","submitter":"bob","external_id":"k-final"}
{"title":"Museum reopens after repairs","body":"The town museum reopened on Monday after two years of repairs to its roof and walls, staff said.","url":"https://www.example.org/museum","source":"Example News","submitter":"cy"}
JSON
"$N" submit --db "$db" --format json "$T/in.ndjson" > "$T/out1" 2> "$T/err1"
st=$?
[ $st -le 2 ] || fail "submit exit $st: $(cat "$T/err1")"
[ "$(grep -c '^{"id":[0-9]*,' "$T/out1")" = 3 ] || fail "3 ids: $(cat "$T/out1")"

# Idempotent: the two keyed items come back as existing, the third is new.
"$N" submit --db "$db" --format json "$T/in.ndjson" > "$T/out2" 2>&1
grep -q '^{"id":1,"existing":true}$' "$T/out2" || fail "existing 1: $(cat "$T/out2")"
grep -q '^{"id":2,"existing":true}$' "$T/out2" || fail "existing 2"
grep -q '^{"id":4,' "$T/out2" || fail "unkeyed item stored again as 4"
[ "$(q list --format json | grep -o '"id":' | wc -l)" = 4 ] || fail "4 items listed"

# list filters and show.
q list --status published --format json | grep -q '^\[\]$' || fail "no published yet"
q list --no-such-option x 2>/dev/null && fail "unknown option accepted"
q list --submitter ann --format json | grep -q '"title":"Council approves park budget"' \
    || fail "--submitter ann lists her item"
[ "$(q list --submitter bob --format json | grep -o '"id":' | wc -l)" = 1 ] \
    || fail "--submitter bob lists one item"
q list --since 2000-01-01 --limit 2 --format json > "$T/l" || fail "list --since"
[ "$(grep -o '"id":' "$T/l" | wc -l)" = 2 ] || fail "--limit 2: $(cat "$T/l")"
q list --since 2999-01-01T00:00:00Z --format json | grep -q '^\[\]$' || fail "--since future"
q show 1 --format json > "$T/s1" || fail "show 1"
grep -q '"title":"Council approves park budget"' "$T/s1" || fail "show item"
grep -q '"audit":\[{' "$T/s1" || fail "show audit"
grep -q '"action":"verdict"' "$T/s1" || fail "verdict audited"
q show 1 --format text | grep -q '^title: *Council approves park budget' || fail "show text"

# Moderator decisions stick, with who and why in the audit trail.
q reject 3 --by mod --reason "not news" --format json | grep -q '"done":"rejected"' || fail "reject"
q show 3 --format json > "$T/s3"
grep -q '"status":"rejected"' "$T/s3" || fail "rejected status"
grep -q '"decided_by":"mod"' "$T/s3" || fail "decided_by"
grep -q '"actor":"mod","action":"reject","detail":"not news"' "$T/s3" || fail "reject audited: $(cat "$T/s3")"
q approve 3 --by lead --note "on second thought" 2>/dev/null && fail "override without --force"
q approve 3 --by lead --force --note "on second thought" > /dev/null || fail "approve"
q show 3 --format json | grep -q '"status":"accepted"' || fail "approved"

# Publisher hand-off, oldest first; each item handed out once.
a=$(q claim --lease 60 --by pub) || fail "claim 1"
[ "$a" = 1 ] || fail "first claim got $a"
b=$(q claim --lease 60 --by pub) || fail "claim 2"
[ "$b" = 2 ] || fail "second claim got $b"
q ack "$a" --by pub > /dev/null || fail "ack"
q ack "$a" --by pub 2> "$T/e"; [ $? = 3 ] || fail "double ack must exit 3"
grep -q 'cannot ack: it is published' "$T/e" || fail "ack message: $(cat "$T/e")"
q approve "$a" --by mod 2>/dev/null; [ $? = 3 ] || fail "approve a published item"
c=$(q claim --by pub) || fail "claim 3"
[ "$c" = 3 ] || fail "approved item 3 claimable, got $c"
q release "$c" --by pub > /dev/null || fail "release"
q release "$c" --by pub 2>/dev/null; [ $? = 3 ] || fail "release unclaimed"
c2=$(q claim --by other) || fail "claim after release"
[ "$c2" = 3 ] || fail "released item handed out again, got $c2"
# Item 4 repeats item 3's text: the rules may have held or rejected it.
if q show 4 --format json | grep -q '^{"id":4,[^{]*"status":"accepted"'; then
    d=$(q claim --by pub) || fail "claim 4"
    [ "$d" = 4 ] || fail "got $d"
fi
q claim --by pub 2> "$T/e"; [ $? = 3 ] || fail "nothing to claim must exit 3"

# Lease expiry: item 2 goes back and is leased again for 1 s.  (Short
# leases are taken only here, so a slow machine cannot expire one early.)
q release 2 --by pub > /dev/null || fail "release 2"
e=$(q claim --lease 1 --by pub) || fail "short claim"
[ "$e" = 2 ] || fail "short claim got $e"
sleep 2
e=$(q claim --by late) || fail "claim after expiry"
[ "$e" = 2 ] || fail "expired lease: got $e"
q ack 2 --by pub 2>/dev/null; [ $? = 3 ] || fail "ack by the expired holder"
q ack 2 --by late > /dev/null || fail "ack by the new holder"
[ "$(q list --status published --format json | grep -o '"id":' | wc -l)" = 2 ] || fail "2 published"
echo "queue flow ok"
