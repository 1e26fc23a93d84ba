#!/bin/sh
# clicase.sh FILE.test -- runs one CLI case through the real binary.
# A case is a list of "key: value" lines (see tests/cli/README.md):
#   run: ARGS            arguments to newsgate (shell words; $TMP is a
#                        fresh directory, $SHARED the shared data)
#   stdin: FILE          file fed to standard input (default /dev/null)
#   status: N            expected exit status (default 0)
#   stdout: FILE         expected standard output, exactly, after
#                        "timings_us" and "rules_hash" are blanked
#   stdout-has: TEXT     a line of stdout contains TEXT (repeatable)
#   stdout-lacks: TEXT   no line of stdout contains TEXT (repeatable)
#   stderr-has: TEXT     a line of stderr contains TEXT (repeatable)
#   needs-shared: yes    skip (77) when the shared data is absent
case=$1
dir=$(dirname "$case")
TMP=$(mktemp -d) || exit 70
trap 'rm -rf "$TMP"' EXIT
SHARED=$NEWSGATE_SHARED
export TMP SHARED
args="" stdin=/dev/null status=0 expect=""
while IFS= read -r line; do
    case $line in
    run:*) args=${line#run: } ;;
    stdin:*) stdin=${line#stdin: } ;;
    status:*) status=${line#status: } ;;
    stdout:*) expect=${line#stdout: } ;;
    needs-shared:*) [ -d "$SHARED" ] || { echo "no shared data"; exit 77; } ;;
    esac
done < "$case"
eval "set -- $args"
"$NEWSGATE_BIN" "$@" < "$stdin" > "$TMP/stdout" 2> "$TMP/stderr"
got=$?
rc=0
echo "\$ newsgate $args"
if [ "$got" != "$status" ]; then
    echo "exit status $got, expected $status"; rc=1
fi
if [ -n "$expect" ]; then
    sed -E -e 's/"timings_us":\{[^}]*\}/"timings_us":{}/g' -e 's/"rules_hash":"[0-9a-f]*"/"rules_hash":""/g' "$TMP/stdout" > "$TMP/stdout.f"
    if ! diff -u "$expect" "$TMP/stdout.f"; then rc=1; fi
fi
while IFS= read -r line; do
    case $line in
    stdout-has:*) t=${line#stdout-has: }
        grep -qF -- "$t" "$TMP/stdout" || { echo "stdout lacks: $t"; rc=1; } ;;
    stdout-lacks:*) t=${line#stdout-lacks: }
        grep -qF -- "$t" "$TMP/stdout" && { echo "stdout has: $t"; rc=1; } ;;
    stderr-has:*) t=${line#stderr-has: }
        grep -qF -- "$t" "$TMP/stderr" || { echo "stderr lacks: $t"; rc=1; } ;;
    esac
done < "$case"
if [ $rc != 0 ]; then
    echo "--- stdout"; head -c 3000 "$TMP/stdout"
    echo "--- stderr"; head -c 3000 "$TMP/stderr"
fi
exit $rc
