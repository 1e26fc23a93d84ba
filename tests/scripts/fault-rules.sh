#!/bin/sh
# fault-rules.sh -- a rules directory that changes while it loads.  The
# onopen.so shim (tests/faults/onopen.c) runs a command at the moment the
# loader opens a chosen file, so each change lands mid-load every time:
# files rewritten, a file removed, a file added, a list rewritten under
# the default rules, and a directory that changes at every load.  The
# loaded set must be the whole old or the whole new one (checked by the
# rules that fire and by the verdict's rules_hash), or, when the
# directory never holds still, exit 78 with a message; never a mix and
# never a crash.
set -u
N=$NEWSGATE_BIN
so=${NEWSGATE_TOOLS:?}/../faults/onopen.so
[ -f "$so" ] || { echo "no $so (built by make test)"; exit 77; }
ldd "$N" 2>/dev/null | grep -q libasan && { echo "ASan build"; exit 77; }
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$T" || exit 70
# Two sets, A and B, of three files; every rule fires on every item.
mkdir A B
for v in A B; do
    for f in one two three; do
        n=$(echo $f | tr a-z A-Z)
        printf 'rule { name = "%s_%s", group = "set", score = 1, description = "set %s",\n  check = function(item) return true end }\n' \
            $v "$n" $v > $v/$f.lua
    done
    mv $v/one.lua $v/10-one.lua; mv $v/two.lua $v/20-two.lua
    mv $v/three.lua $v/30-three.lua
done
echo '{"title":"A title","body":"A body of text."}' > item.json
# fired MATCH RUN [NTH]: the rules that fire when RUN runs at the NTH open
# of a path containing MATCH during a check with --rules r.
fired() {
    LD_PRELOAD=$so FAULTOPEN_MATCH=$1 FAULTOPEN_RUN=$2 FAULTOPEN_NTH=${3:-1} \
        "$N" check --format json --rules r item.json > out 2> err
    echo $? > status
    grep -o '"rule":"[A-Z_]*"' out | sed 's/"rule":"\(.*\)"/\1/' | sort | tr '\n' ' '
}

rm -rf r; cp -r A r
got=$(fired r/20-two.lua "cp B/*.lua r/")
[ "$got" = "B_ONE B_THREE B_TWO " ] || fail "rewritten mid-load: $got $(cat err)"
echo "rewritten mid-load: $got"

rm -rf r; cp -r A r
got=$(fired r/10-one.lua "rm r/30-three.lua")
[ "$got" = "A_ONE A_TWO " ] || fail "removed mid-load: $got $(cat err)"
echo "removed mid-load: $got"

rm -rf r; cp -r A r; rm r/30-three.lua
got=$(fired r/10-one.lua "cp A/30-three.lua r/")
[ "$got" = "A_ONE A_THREE A_TWO " ] || [ "$got" = "A_ONE A_TWO " ] \
    || fail "added mid-load: $got $(cat err)"
echo "added mid-load: $got"

# The default rules, with spam.lua edited when its first list opens: the
# verdict's rules_hash is that of the old or of the new directory.
hash() { "$N" check --format json --rules "$1" item.json | sed -n 's/.*"rules_hash":"\([0-9a-f]*\)".*/\1/p'; }
rm -rf r; cp -r "$NEWSGATE_RULES" r
old=$(hash r)
fired r/lists/promo.txt "echo '-- edited' >> r/spam.lua" > /dev/null
got=$(sed -n 's/.*"rules_hash":"\([0-9a-f]*\)".*/\1/p' out)
new=$(hash r)
[ "$old" != "$new" ] || fail "the edit did not change the hash"
[ "$got" = "$new" ] || fail "default rules, spam.lua edited mid-load: hash $got, old $old, new $new"
echo "default rules edited mid-load: the new set ($got)"

# A directory that never holds still: every open of a rule file touches
# them all.  The load gives up with a message; exit 78.
rm -rf r; cp -r A r
fired r/20-two.lua "touch r/*.lua" 0 > /dev/null
[ "$(cat status)" = 78 ] || fail "always changing: exit $(cat status)"
grep -q "r: the rules directory kept changing while loading" err \
    || fail "always changing: $(cat err)"
echo "always changing: exit 78, $(cat err)"
