#!/bin/sh
# fuzz-replay.sh -- every fuzz target's seed corpus and regression inputs
# (tests/fuzz/corpus/NAME, the test inputs listed in
# tests/fuzz/corpus/NAME.seeds, tests/fuzz/regress/NAME) run through the
# target built without libFuzzer ($BUILD/fuzz/replay_NAME, made by
# `make test`), so an input that once crashed a target is a test of every
# build: the normal one, `make asan` and `make valgrind`.
cd "$(dirname "$0")/../.." || exit 70
BUILD=${BUILD:-build}
export NEWSGATE_RULES="$PWD/rules"
status=0 ran=0
for src in tests/fuzz/fuzz_*.c; do
    t=$(basename "$src" .c); t=${t#fuzz_}
    bin=$BUILD/fuzz/replay_$t
    if [ ! -x "$bin" ]; then
        echo "missing $bin (make test builds it)"; exit 1
    fi
    set -- "tests/fuzz/corpus/$t"
    [ -d "tests/fuzz/regress/$t" ] && set -- "$@" "tests/fuzz/regress/$t"
    if [ -f "tests/fuzz/corpus/$t.seeds" ]; then
        # shellcheck disable=SC2046  # the globs of the list, expanded
        set -- "$@" $(grep -v '^#' "tests/fuzz/corpus/$t.seeds")
    fi
    if out=$("$bin" "$@" 2>&1); then
        echo "$t: $out"
        ran=$((ran + 1))
    else
        echo "FAIL $t:"; echo "$out" | tail -n 30
        status=1
    fi
done
[ "$ran" -gt 0 ] || { echo "no fuzz targets"; exit 1; }
exit $status
