#!/bin/sh
# queue-moderation.sh -- what a moderator does from the command line:
# `queue show` of a near duplicate explains the status and prints the
# earlier item with a word diff; approve/reject take several ids and a
# selection; deciding an item already decided needs --force and --note
# and is recorded as an override; --by defaults to the login name.
set -u
cd "$(dirname "$0")/../.." || exit 70
N=$NEWSGATE_BIN
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
db=$T/q.db
fail=0
bad() { printf 'FAIL: %s\n' "$*"; fail=1; }
ok() { printf 'ok: %s\n' "$*"; }
q() { "$N" queue "$@" --db "$db"; }

cat > "$T/in.ndjson" <<'JSON'
{"title":"Council approves park budget for the river","body":"The city council voted on Tuesday to approve a budget for the new riverside park, officials said. The park will open next year with a playground, a cafe and new paths along the water. Residents had asked for the park for ten years and welcomed the vote, the mayor said in a statement on Tuesday evening after the meeting ended.","url":"https://www.example.org/park","submitter":"ann"}
{"title":"Council backs riverside park budget","body":"The city council voted on Monday to approve a budget for the new riverside park, officials said. The park will open next year with a playground, a cafe and new paths along the river. Residents had asked for the park for ten years and welcomed the vote, the mayor said in a statement on Monday evening after the meeting ended.","url":"https://other.example.net/park-story","submitter":"bob"}
{"title":"Short one","body":"too short","submitter":"spam"}
{"title":"Another short one","body":"also too short","submitter":"spam"}
{"title":"A third short one","body":"short as well","submitter":"spam"}
JSON
"$N" submit --db "$db" --format json "$T/in.ndjson" > "$T/sub" 2> "$T/sub.err"
[ $? -le 2 ] || { cat "$T/sub.err"; bad "submit"; }
grep -q '"rule":"NEAR_DUPLICATE"' "$T/sub" || bad "item 2 is not a near duplicate: $(cat "$T/sub")"
grep -q '"rule":"NEAR_DUPLICATE",[^}]*"ref":1}' "$T/sub" || bad "the duplicate hit carries ref 1: $(cat "$T/sub")"

# show: why, hits, the earlier item and the diff.
q show 2 --format text > "$T/show2" || bad "show 2"
grep -q '^why: *score .* reaches the re[a-z]* threshold' "$T/show2" || bad "why line: $(cat "$T/show2")"
grep -q 'NEAR_DUPLICATE (duplicate)' "$T/show2" || bad "hit line"
grep -q '^earlier: *#1 accepted  Council approves park budget for the river' "$T/show2" ||
    bad "earlier item: $(cat "$T/show2")"
grep -q 'Council \[-approves-\] {+backs riverside+} park budget \[-for the river-\]' "$T/show2" ||
    bad "title diff: $(cat "$T/show2")"
grep -q 'voted on \[-Tuesday-\] {+Monday+} to approve' "$T/show2" || bad "body diff"
grep -q 'along the \[-water.-\] {+river.+}' "$T/show2" || bad "body diff, second change"
grep -q '\.\.\.' "$T/show2" || bad "long unchanged runs are not shortened"
q show 1 --format text | grep -q '^earlier:' && bad "item 1 has no earlier item"
ok "show of a duplicate: why, earlier item, word diff"

# list: why each item is there, the total and the next page; unknown
# status or rule names are usage errors.
echo '{"title":"Park budget again","body":"Copied.","url":"https://www.example.org/park","submitter":"dup"}' |
    "$N" submit --db "$db" --format json > "$T/dup" 2>&1
grep -q '"forced":{"action":"reject","rule":"SAME_URL"}' "$T/dup" || bad "same URL forced: $(cat "$T/dup")"
q list --format text --limit 2 > "$T/l1" || bad "list"
grep -q '^items 1-2 of 6; next page: --offset 2$' "$T/l1" || bad "paging footer: $(cat "$T/l1")"
grep -q '^ *2  re[a-z]* .* bob  *NEAR_DUPLICATE ' "$T/l1" || bad "why: top rule: $(cat "$T/l1")"
q list --format text --offset 4 > "$T/l2"
grep -q '^items 5-6 of 6$' "$T/l2" || bad "last page: $(cat "$T/l2")"
grep -q '^ *6  rejected .* forced: SAME_URL ' "$T/l2" || bad "why: forcing rule: $(cat "$T/l2")"
q list --format json --limit 1 > "$T/l3" 2> "$T/l3.err"
grep -q '"forced_by":null,"top_rules":\[\]' "$T/l3" || bad "why in JSON: $(cat "$T/l3")"
grep -q '^newsgate: items 1-1 of 6; next page: --offset 1$' "$T/l3.err" || bad "JSON paging hint"
q list --submitter spam --format json 2>/dev/null | grep -o '"id":' | wc -l | grep -qx 3 ||
    bad "list --submitter"
q list --status reveiw 2> "$T/e"; [ $? = 64 ] || bad "unknown status must exit 64"
grep -q "unknown status 'reveiw'" "$T/e" || bad "status message: $(cat "$T/e")"
q list --rule NEAR_DUPLICAT 2> "$T/e"; [ $? = 64 ] || bad "unknown rule must exit 64"
grep -q "unknown rule 'NEAR_DUPLICAT'" "$T/e" || bad "rule message: $(cat "$T/e")"
q list --rule NEAR_DUPLICATE --format json | grep -q '"id":2' || bad "known rule lists"
q reject --status nonsense --reason x 2> /dev/null; [ $? = 64 ] || bad "selection checks status"
ok "list: why, total, paging, unknown status and rule"

# Bulk: several ids and a selection.
q reject 3 4 --by mod --reason "too short" --format json > "$T/r" 2> "$T/r.err" ||
    bad "reject 3 4: $(cat "$T/r.err")"
[ "$(grep -c '"done":"rejected"' "$T/r")" = 2 ] || bad "two rejected: $(cat "$T/r")"
grep -q '^newsgate: 2 items: 2 rejected, 0 refused' "$T/r.err" || bad "bulk summary: $(cat "$T/r.err")"

# A selection: items by submitter spam not yet decided -> only #5 is new;
# #3 and #4 are refused without --force (exit 3), #5 is still decided.
q reject --submitter spam --by mod --reason "spam run" --format json > "$T/s" 2> "$T/s.err"
[ $? = 3 ] || bad "refused items must give exit 3"
grep -q '^{"id":5,"done":"rejected"}$' "$T/s" || bad "selection rejects #5: $(cat "$T/s")"
grep -q 'item 3: already rejected by moderator mod; give --force' "$T/s.err" ||
    bad "refusal message: $(cat "$T/s.err")"
q show 5 --format json | grep -q '"status":"rejected"' || bad "#5 rejected"

# Override: --force needs --note; it is recorded as an override.
q approve 3 --by lead --force --format json 2> "$T/e"; [ $? = 64 ] || bad "--force without --note"
q approve 3 --by lead --force --note "real story" --format json > "$T/o" || bad "override"
grep -q '^{"id":3,"done":"approved","override":true}$' "$T/o" || bad "override output: $(cat "$T/o")"
q show 3 --format json > "$T/s3"
grep -q '"actor":"lead","action":"approve","detail":"override of rejected by mod: real story"' "$T/s3" ||
    bad "override audited: $(cat "$T/s3")"
q show 3 --format text | grep -q 'override of rejected by mod: real story' || bad "override in show text"
q show 3 --format text | grep -q '^why: *decided by moderator lead' || bad "why names the moderator"
q list --format text | grep -q '^ *3  accepted .* by lead ' || bad "list why names the moderator"
ok "bulk and override decisions"

# --by defaults to the login name in every command.
LOGNAME=carol q approve 2 --format json > /dev/null || bad "approve without --by"
q show 2 --format json | grep -q '"actor":"carol","action":"approve"' || bad "--by default: login name"
id=$(LOGNAME=pubby q claim) || bad "claim"
LOGNAME=pubby q ack "$id" > /dev/null || bad "ack by the login name that claimed"
q show "$id" --format json | grep -q '"actor":"pubby"' || bad "claim/ack by login name"
ok "--by defaults to the login name"

exit $fail
