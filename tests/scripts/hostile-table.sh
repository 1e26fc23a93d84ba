#!/bin/sh
# hostile-table.sh -- runs every row of tests/hostile/table.tsv through
# the real binary: NUL bytes, overlong and invalid UTF-8, surrogates, 100
# MB inputs, 100,000-deep JSON, 1,000,000 links, HTML bombs, external
# entities, quotes that never close, terminal escapes, and regex-bomb
# text for every pattern of the default rules.  The big inputs are made
# by tests/hostile/gen.py at test time.  For the bombs, the patterns are
# first logged (the logregex.so shim) while items that open every gate
# are checked, and every pattern written in rules/ must be among them.
#
#   sh tests/scripts/hostile-table.sh [NAME]   one row only
set -u
cd "$(dirname "$0")/../.." || exit 70
N=$NEWSGATE_BIN
only=${1:-}
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
fails=0 rows=0 skipped=0
RELOG=$T/patterns.log
command -v python3 > /dev/null || { echo "no python3"; exit 77; }

# The patterns of the default rules, logged as they are compiled.
so=${NEWSGATE_TOOLS:-build/tools}/../faults/logregex.so
if [ -f "$so" ] && ! ldd "$N" 2>/dev/null | grep -q libasan; then
    python3 tests/hostile/gen.py discover "$NEWSGATE_RULES" > "$T/discover.ndjson"
    LD_PRELOAD=$so LOGREGEX_FILE=$RELOG "$N" check --format json \
        --rules "$NEWSGATE_RULES" "$T/discover.ndjson" > /dev/null 2>&1
    python3 tests/hostile/gen.py coverage "$NEWSGATE_RULES" "$RELOG" \
        || { echo "FAIL: the bombs would not cover every pattern"; fails=1; }
fi

# check ROW-NAME EXPECT: judges $T/out, $T/err, $T/rss, $T/in.
judge() {
    name=$1 ok=0
    printf '%s\n' "$2" | sed 's/ ; /\n/g' > "$T/checks"
    while IFS= read -r c; do
        case $c in
        err=*) grep -qF -- "${c#err=}" "$T/err" || { echo "  stderr lacks: ${c#err=}"; ok=1; } ;;
        out=*) grep -qF -- "${c#out=}" "$T/out" || { echo "  stdout lacks: ${c#out=}"; ok=1; } ;;
        !out=*) grep -qF -- "${c#!out=}" "$T/out" && { echo "  stdout has: ${c#!out=}"; ok=1; } ;;
        verdicts=*)
            got=$(grep -c '^{"input"' "$T/out")
            want=${c#verdicts=}
            [ "$want" = all ] && want=$(grep -c . "$T/in")
            [ "$got" = "$want" ] || { echo "  $got verdicts, expected $want"; ok=1; } ;;
        noerrors)
            bad=$(grep '^{"input"' "$T/out" | grep -vc '"errors":\[\]')
            [ "$bad" = 0 ] || { echo "  $bad verdicts list rule errors:"; grep -o '"errors":\[{[^]]*' "$T/out" | sort | uniq -c | head -5; ok=1; } ;;
        clean)
            # C0 controls but tab and newline, DEL, C1 (UTF-8 C2 80-9F),
            # bidi overrides and isolates (E2 80 AA-AE, E2 81 A6-A9).
            if LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$T/out"; then
                echo "  stdout holds control bytes"; ok=1
            fi ;;
        rss\<*)
            kb=$(tail -1 "$T/rss")
            [ "$kb" -lt $(( ${c#rss<} * 1024 )) ] || { echo "  peak memory $kb KB"; ok=1; } ;;
        noc0)
            if LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]' "$T/out"; then
                echo "  stdout holds C0 control bytes"; ok=1
            fi ;;
        '') ;;
        *) echo "  unknown check: $c"; ok=1 ;;
        esac
    done < "$T/checks"
    return $ok
}

tab=$(printf '\t')
while IFS="$tab" read -r name input args status expect; do
    case $name in ''|'#'*) continue ;; esac
    [ -n "$only" ] && [ "$name" != "$only" ] && continue
    rows=$((rows + 1))
    IN=$T/in
    case $input in
    bytes:*) python3 -c 'import codecs, sys, warnings
warnings.simplefilter("ignore")
sys.stdout.buffer.write(codecs.escape_decode(sys.argv[1].encode())[0])' \
                 "${input#bytes:}" > "$IN" ;;
    gen:*\$RELOG*)
        if [ ! -s "$RELOG" ]; then
            echo "skip  $name (no pattern log: logregex.so absent or ASan)"
            skipped=$((skipped + 1)); continue
        fi
        eval "python3 tests/hostile/gen.py ${input#gen:}" > "$IN" ;;
    gen:*) eval "python3 tests/hostile/gen.py ${input#gen:}" > "$IN" ;;
    file:*) cp "${input#file:}" "$IN" ;;
    *) echo "FAIL  $name: unknown input $input"; fails=$((fails + 1)); continue ;;
    esac
    eval "set -- $args"
    t0=$(date +%s.%N)
    /usr/bin/time -f %M -o "$T/rss" timeout 300 "$N" "$@" \
        > "$T/out" 2> "$T/err" < /dev/null
    st=$?
    secs=$(echo "$(date +%s.%N) - $t0" | bc)
    if [ "$st" != "$status" ]; then
        echo "FAIL  $name: exit $st, expected $status"; sed 's/^/  | /' "$T/err" | head -5
        fails=$((fails + 1)); continue
    fi
    if judge "$name" "$expect" > "$T/why"; then
        echo "ok    $name (exit $st, $(tail -1 "$T/rss") KB, $secs s)"
    else
        echo "FAIL  $name"; cat "$T/why"; sed 's/^/  | /' "$T/err" | head -3
        fails=$((fails + 1))
    fi
done < tests/hostile/table.tsv
echo "$rows rows, $fails failed, $skipped skipped"
[ "$fails" = 0 ]
