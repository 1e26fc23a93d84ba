#!/bin/sh
# run.sh -- the whole test suite: C unit tests, CLI cases run through the
# real binary, and scenario scripts.  Prints one line per test and a
# closing "N passed, N failed, N skipped" line; exits 1 if any failed.
#
#   sh tests/run.sh [PATTERN]   run only tests whose name contains PATTERN
cd "$(dirname "$0")/.." || exit 70
pattern=${1:-}
pass=0 fail=0 skip=0 failed=""
export NEWSGATE_BIN="${NEWSGATE_BIN:-$PWD/newsgate}"
BUILD=${BUILD:-build}
export NEWSGATE_SHARED="${NEWSGATE_SHARED:-$PWD/../shared/data}"
export NEWSGATE_RULES="$PWD/rules"
out=tests/out/$(basename "$BUILD")
rm -rf "$out" && mkdir -p "$out"
export NEWSGATE_TOOLS="$PWD/$BUILD/tools"

result() { # name status(0 pass, 77 skip, else fail) logfile
    case $2 in
    0)  pass=$((pass + 1)); echo "ok    $1" ;;
    77) skip=$((skip + 1)); echo "skip  $1" ;;
    *)  fail=$((fail + 1)); failed="$failed $1"; echo "FAIL  $1 (see $3)"
        sed 's/^/    | /' "$3" | tail -n 25 ;;
    esac
}

wanted() { [ -z "$pattern" ] || case "$1" in *"$pattern"*) return 0 ;; *) return 1 ;; esac; }

# 1. C unit tests (check).
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    name=unit/$(basename "$t"); wanted "$name" || continue
    log="$out/$(basename "$t").log"
    CK_VERBOSITY=minimal "$t" > "$log" 2>&1
    result "$name" $? "$log"
done

# 2. CLI cases: tests/cli/*.test, see tests/cli/README.md.
for c in tests/cli/*.test; do
    [ -f "$c" ] || continue
    name=cli/$(basename "$c" .test); wanted "$name" || continue
    log="$out/$(basename "$c" .test).log"
    sh tests/tools/clicase.sh "$c" > "$log" 2>&1
    result "$name" $? "$log"
done

# 3. Scenario scripts: exit 0 pass, 77 skip.
for s in tests/scripts/*.sh; do
    [ -f "$s" ] || continue
    name=script/$(basename "$s" .sh); wanted "$name" || continue
    log="$out/$(basename "$s" .sh).log"
    sh "$s" > "$log" 2>&1
    result "$name" $? "$log"
done

echo
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
