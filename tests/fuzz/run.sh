#!/bin/sh
# run.sh -- runs libFuzzer targets built by `make fuzz`, each for
# FUZZ_SECONDS (default 60) at the lowest CPU priority, over its seed
# corpus (tests/fuzz/corpus/NAME, read only, plus the test inputs listed
# in tests/fuzz/corpus/NAME.seeds, copied to $FUZZ_DIR/seed/NAME) and its
# working corpus ($FUZZ_DIR/corpus/NAME, kept between runs).  A crash, leak, timeout
# (10 s per input) or out-of-memory input is written to
# $FUZZ_DIR/crash/NAME-*; copy it to tests/fuzz/regress/NAME/ once fixed
# so `make test` replays it.  Prints one line per target (executions,
# seconds, corpus, findings) and exits 1 if any target found something.
#
#   sh tests/fuzz/run.sh NAME...
cd "$(dirname "$0")/../.." || exit 70
dir=${FUZZ_DIR:-build-fuzz}
secs=${FUZZ_SECONDS:-60}
export NEWSGATE_RULES="$PWD/rules"
# The fuzzers' own leak check is on; stop at the first report of any kind.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
found=0
for t in "$@"; do
    bin=$dir/fuzz/fuzz_$t
    mkdir -p "$dir/corpus/$t" "$dir/crash" "$dir/log"
    log=$dir/log/$t.log
    rm -rf "$dir/seed/$t" && mkdir -p "$dir/seed/$t"
    if [ -f "tests/fuzz/corpus/$t.seeds" ]; then
        # Named after their paths: many test inputs share a file name.
        for f in $(grep -v '^#' "tests/fuzz/corpus/$t.seeds"); do
            cp "$f" "$dir/seed/$t/$(echo "$f" | tr / _)" || exit 1
        done
    fi
    nice -n 19 "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$dir/crash/$t-" \
        "$dir/corpus/$t" "tests/fuzz/corpus/$t" "$dir/seed/$t" > "$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    took=$(sed -n 's/.*Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
    files=$(ls "$dir/corpus/$t" | wc -l)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    if [ "$rc" -eq 0 ]; then
        echo "ok    $t: ${execs:-?} executions in ${took:-?} s, corpus $files files, $cov, no findings"
    else
        found=1
        echo "FOUND $t: exit $rc after ${execs:-?} executions (see $log)"
        grep -m 3 -E 'ERROR|SUMMARY|property broken' "$log" | sed 's/^/    | /'
    fi
done
exit $found
