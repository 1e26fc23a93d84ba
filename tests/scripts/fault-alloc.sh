#!/bin/sh
# fault-alloc.sh -- allocation failure at each allocation call of a check
# with the full default rules: tests/tools/alloc_faults runs under the
# failmalloc.so shim (tests/faults/failmalloc.c) and fails the k-th call
# for every k of a check of an HTML item and of a plain-text item that is
# rejected, and every 7th k of the seed article (`make faults` sets
# FAULTS_FULL=1: every k of every sample and of the seed).  Each must end
# in an error code or a verdict that says a rule failed (never a silently
# different verdict), leak no block, and leave the engine giving the
# right verdict.  Skips (77) under ASan, whose
# allocator cannot be interposed.
set -u
T=${NEWSGATE_TOOLS:?}
so=$T/../faults/failmalloc.so
fail() { echo "FAIL: $*"; exit 1; }
[ -f "$so" ] || { echo "no $so (built by make test)"; exit 77; }
ldd "$NEWSGATE_BIN" 2>/dev/null | grep -q libasan && { echo "ASan build"; exit 77; }
run() { # item [from to step]
    out=$(LD_PRELOAD=$so "$T/alloc_faults" rules "$@") \
        || fail "$1: $(printf '%s\n' "$out" | tail -20)"
    echo "$1: $out"
    # The check must have run and each failed call been judged.
    printf '%s\n' "$out" | grep -q '; 0 defects$' || fail "$1: $out"
}
# FAULTS_FULL=1 (make faults): every k of every sample and of the seed.
if [ -n "${FAULTS_FULL:-}" ]; then
    step=1
    for f in samples/*.json samples/*.ndjson samples/*.txt; do run "$f"; done
else
    step=7
    run samples/page.json
    run samples/shouting.txt
fi
seed=$NEWSGATE_SHARED/seed/news-every-day-karabakh.txt
if [ -f "$seed" ]; then
    run "$seed" 1 1000000 $step
else
    echo "no shared data: the seed article is skipped"
fi
