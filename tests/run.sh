#!/bin/sh
# run.sh -- the whole test suite: C unit tests, CLI cases run through the
# real binary, scenario scripts, and the fuzz targets' seeds and kept
# crashes replayed.  Prints one line per test and a closing "N passed, N
# failed, N skipped" line; exits 1 if any failed.
#
#   sh tests/run.sh [PATTERN]   run only tests whose name contains PATTERN
#
# Set by `make valgrind` (see tests/valgrind/): TEST_WRAP, a command put
# before each unit test and fuzz replay; TEST_SKIP, name patterns (shell
# globs) of tests to skip; TEST_OUT, the name of the log directory.
cd "$(dirname "$0")/.." || exit 70
pattern=${1:-}
pass=0 fail=0 skip=0 failed=""
export NEWSGATE_BIN="${NEWSGATE_BIN:-$PWD/newsgate}"
BUILD=${BUILD:-build}
export NEWSGATE_SHARED="${NEWSGATE_SHARED:-$PWD/../shared/data}"
export NEWSGATE_RULES="$PWD/rules"
wrap=${TEST_WRAP:-}
out=tests/out/${TEST_OUT:-$(basename "$BUILD")}
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

# 0 when $1 matches a pattern of TEST_SKIP (not expanded as file names).
skipped() {
    set -f
    for p in ${TEST_SKIP:-}; do
        # shellcheck disable=SC2254  # p is a pattern
        case "$1" in $p) set +f; return 0 ;; esac
    done
    set +f
    return 1
}

wanted() {
    [ -z "$pattern" ] || case "$1" in *"$pattern"*) ;; *) return 1 ;; esac
    skipped "$1" || return 0
    skip=$((skip + 1)); echo "skip  $1"
    return 1
}

# 1. C unit tests (check).
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    name=unit/$(basename "$t"); wanted "$name" || continue
    log="$out/$(basename "$t").log"
    CK_VERBOSITY=minimal $wrap "$t" > "$log" 2>&1
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

# 4. Fuzz targets without libFuzzer ($BUILD/fuzz/replay_NAME, see
# tests/fuzz/fuzz.h): each over its seeds (tests/fuzz/corpus/NAME and the
# test inputs listed in NAME.seeds) and kept crashes (tests/fuzz/regress).
for src in tests/fuzz/fuzz_*.c; do
    [ -f "$src" ] || continue
    t=$(basename "$src" .c); t=${t#fuzz_}
    name=fuzz/$t; wanted "$name" || continue
    log="$out/fuzz-$t.log"
    set -- "tests/fuzz/corpus/$t"
    [ -d "tests/fuzz/regress/$t" ] && set -- "$@" "tests/fuzz/regress/$t"
    if [ -f "tests/fuzz/corpus/$t.seeds" ]; then
        # shellcheck disable=SC2046  # the globs of the list, expanded
        set -- "$@" $(grep -v '^#' "tests/fuzz/corpus/$t.seeds")
    fi
    $wrap "$BUILD/fuzz/replay_$t" "$@" > "$log" 2>&1
    result "$name" $? "$log"
done

echo
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
