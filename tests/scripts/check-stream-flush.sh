#!/bin/sh
# check-stream-flush.sh -- `newsgate check` writes its verdicts through a
# large buffer (one write for many), yet a reader at the other end of a
# pipe gets each verdict while the producer pauses: the item loop flushes
# before a read that would wait.  The producer writes two NDJSON items
# (the reader looks one line ahead before it hands out the first), then
# waits for their verdicts before it writes the third and closes the
# stream; without the flush the verdicts would come only at the end of
# the input, and the producer would wait for them forever (given up
# after 60 s: a hang, not a speed limit).  Also checks that the verdicts
# come out whole and in order.
set -u
cd "$(dirname "$0")/../.." || exit 70
N=$NEWSGATE_BIN
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
fail=0
bad() { printf 'FAIL: %s\n' "$*"; fail=1; }

mkfifo "$T/in" || exit 70
# The output file exists before the command opens it (its opening of the
# fifo waits for the writer below, and the count must not race it).
: > "$T/out"
"$N" check --rules tests/cli/data/input/rules --format json \
    > "$T/out" 2> "$T/err" < "$T/in" &
pid=$!
exec 3> "$T/in"
printf '%s\n' '{"title":"First item","body":"One body."}' \
    '{"title":"Second item","body":"Two body."}' >&3
i=0
while [ "$(wc -l < "$T/out")" -lt 2 ] && [ $i -lt 600 ]; do
    sleep 0.1
    i=$((i + 1))
done
[ "$(wc -l < "$T/out")" -eq 2 ] ||
    bad "$(wc -l < "$T/out") verdicts, not 2, while the input stayed open"
printf '%s\n' '{"title":"Third item","body":"Three body."}' >&3
exec 3>&-
wait $pid
rc=$?
[ $rc -eq 0 ] || bad "exit status $rc: $(cat "$T/err")"
[ "$(wc -l < "$T/out")" -eq 3 ] || bad "$(wc -l < "$T/out") verdicts, not 3"
for k in 1 2 3; do
    sed -n ${k}p "$T/out" | grep -q "^{\"input\":\"-\",\"item\":$k,.*}\$" ||
        bad "line $k: $(sed -n ${k}p "$T/out")"
done
[ $fail -eq 0 ] && echo "ok: verdicts flushed while the input pauses"
exit $fail
