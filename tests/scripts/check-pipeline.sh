#!/bin/sh
# check-pipeline.sh -- `check` checks items on several threads
# (cli_pipe.c; NEWSGATE_CHECKERS counts them, this one included) and
# prints the verdicts in input order: its output must be what checking
# one item after another gives (NEWSGATE_CHECKERS=1: no pipeline), with
# three checkers (checks then end out of order, even on one core).  The
# checker threads start once the reader is a ring (32 items) ahead, so
# each part has more items than that:
#  1. every `check` case of tests/cli, its input files given 40 times
#     (but for two slow ones; stdout, stderr, exit status);
#  2. good items with bad ones between them (invalid JSON, a missing
#     title, a missing file, a directory): stdout and stderr together,
#     so each error comes after the verdicts of the items before it;
#  3. --db: a store with registered sources and submitted items, and
#     copies of both among fresh items (COPIED_SOURCE, SAME_TEXT);
#  4. input that pauses after one, two or three items: every verdict
#     comes while the producer waits for it (a hang fails: timeout);
#  5. the BBC corpus with the full default rules: files (JSON and text)
#     and one NDJSON stream on stdin (skipped without ../shared).
# Timings (timings_us, profile, "N us", the summary's seconds) and the
# time an item without one is given (a rule shows it, "at=") are blanked
# before comparing.
set -u
cd "$(dirname "$0")/../.." || exit 70
bin=${NEWSGATE_BIN:?}
rules=${NEWSGATE_RULES:?}
SHARED=${NEWSGATE_SHARED:-../shared/data}
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
TMP=$tmp/case
export TMP SHARED
fail=0
bad() { printf 'FAIL: %s\n' "$*"; fail=1; }
norm() {
    sed -E -e 's/"timings_us":\{[^}]*\}/"timings_us":{}/g' \
        -e 's/"profile":\{"analysis_us":[0-9]+,"rules":\{[^}]*\}\}/"profile":{}/g' \
        -e 's/[0-9]+ us/N us/g' -e 's/ \([0-9.]+ s\)$//' \
        -e 's/ at=[0-9]+ / at=NOW /g'
}
# same LABEL ARGS...: runs check with 1 and 3 checkers, stdout and stderr
# apart (stdin from $in), and compares them and the exit status.
same() {
    label=$1; shift
    for k in 1 3; do
        NEWSGATE_CHECKERS=$k "$bin" check "$@" < "$in" > "$tmp/o$k" \
            2> "$tmp/e$k"
        echo $? > "$tmp/s$k"
        norm < "$tmp/o$k" > "$tmp/O$k"; norm < "$tmp/e$k" > "$tmp/E$k"
    done
    cmp -s "$tmp/O1" "$tmp/O3" || { bad "$label: stdout differs"; diff "$tmp/O1" "$tmp/O3" | head -n 6; }
    cmp -s "$tmp/E1" "$tmp/E3" || { bad "$label: stderr differs"; diff "$tmp/E1" "$tmp/E3" | head -n 6; }
    cmp -s "$tmp/s1" "$tmp/s3" || bad "$label: exit $(cat "$tmp/s1") vs $(cat "$tmp/s3")"
}

# 1. The CLI cases that run check (their inputs and rules as given).
cases=0
for c in tests/cli/*.test; do
    grep -q '^run: check ' "$c" || continue
    # Its rule keeps an item for the next check: the next check of the
    # same engine, which with several checkers is another item.
    case $c in */item-retired.test) continue ;; esac
    grep -q '^needs-shared:' "$c" && [ ! -d "$SHARED" ] && continue
    args=$(sed -n 's/^run: check //p' "$c")
    in=$(sed -n 's/^stdin: //p' "$c"); in=${in:-/dev/null}
    rm -rf "$TMP"; mkdir "$TMP"
    eval "set -- $args"
    files=""
    # Not repeated: rules that run each item to its limits (~0.3 s).
    case $c in */engine-limits.test|*/rules-probes.test) ;; *)
        for a in "$@"; do [ -f "$a" ] && files="$files $a"; done ;;
    esac
    # shellcheck disable=SC2086  # the file names again, 39 times
    [ -n "$files" ] && set -- "$@" $(for i in $(seq 39); do echo $files; done)
    same "$(basename "$c")" "$@"
    cases=$((cases + 1))
done
[ $cases -ge 50 ] || bad "only $cases CLI cases run check"

# 2. Bad items between good ones, and inputs that do not open.
in=/dev/null
d=tests/cli/data
python3 - "$tmp/mixed.ndjson" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(40):
        if i % 7 == 3:
            f.write('{"title": "broken %d", "body": \n' % i)
        elif i % 11 == 5:
            f.write(json.dumps({"body": "no title %d" % i}) + "\n")
        else:
            f.write(json.dumps({"title": "Item %d" % i,
                                "body": "Body %d. " % i * (i + 3)}) + "\n")
PY
mixed() {
    for k in 1 3; do
        NEWSGATE_CHECKERS=$k "$bin" check --rules "$rules" --format json \
            "$tmp/mixed.ndjson" $d/plain.json $d/no-such-file.json \
            $d/input/items.ndjson $d/input/invalid.json $d \
            $d/input/missing-title.ndjson $d/two-plain.ndjson \
            "$tmp/mixed.ndjson" > "$tmp/m$k" 2>&1
        echo $? >> "$tmp/m$k"
        norm < "$tmp/m$k" > "$tmp/M$k"
    done
    cmp -s "$tmp/M1" "$tmp/M3" || { bad "bad items between good ones: output differs"; diff "$tmp/M1" "$tmp/M3" | head -n 6; }
    # An error after a verdict, and a verdict after an error.
    grep -n . "$tmp/M3" | awk -F: '/^[0-9]+:\{/ { v = $1 } /newsgate: / && v { e = $1 }
        /^[0-9]+:\{/ && e { ok = 1 } END { exit !ok }' \
        || bad "bad items between good ones: errors not between verdicts"
    [ "$(tail -n 1 "$tmp/M3")" = 66 ] || bad "bad items: exit $(tail -n 1 "$tmp/M3"), want 66 (a missing file)"
}
mixed

# 3 and 5 need the BBC articles.
bbc=$SHARED/bbc
if [ ! -d "$bbc" ]; then
    echo "skip: $bbc absent (parts 3 and 5)"
else
    # 3. A store: business articles registered as a publisher's, 30
    #    politics articles submitted; checked: copies of both, light
    #    edits, credited copies and fresh sport articles.
    find "$bbc/business" -name '*.txt' | LC_ALL=C sort | head -n 60 > "$tmp/src"
    find "$bbc/politics" -name '*.txt' | LC_ALL=C sort | head -n 30 > "$tmp/sub"
    find "$bbc/sport" -name '*.txt' | LC_ALL=C sort | head -n 30 > "$tmp/new"
    python3 - "$tmp" <<'PY'
import json, os, sys
t = sys.argv[1]
def items(name):
    out = []
    for p in open(os.path.join(t, name)).read().split():
        x = open(p, encoding="latin-1").read().strip().split("\n", 1)
        out.append({"title": x[0].strip(),
                    "body": x[1].strip() if len(x) > 1 else ""})
    return out
src, sub, new = items("src"), items("sub"), items("new")
def dump(name, its):
    with open(os.path.join(t, name), "w") as f:
        for it in its:
            f.write(json.dumps(it) + "\n")
dump("src.ndjson", src)
dump("sub.ndjson", sub)
mix = []
for i in range(30):
    mix.append(new[i])
    s = dict(src[i * 2])
    if i % 3 == 0:
        s["source"] = "Business Wire"   # credited
    mix.append(s)
    if i % 2 == 0:
        mix.append(dict(sub[i]))        # the same text again
    else:
        w = sub[i]["body"].split(" ")
        w[len(w) // 2] = "edited"
        mix.append(dict(sub[i], body=" ".join(w), title="Edited " + sub[i]["title"]))
dump("mix.ndjson", mix)
PY
    "$bin" sources add --publisher "Business Wire" --domain example.com \
        --db "$tmp/q.db" "$tmp/src.ndjson" > /dev/null 2>&1 \
        || bad "sources add failed"
    "$bin" submit --rules "$rules" --db "$tmp/q.db" "$tmp/sub.ndjson" \
        > /dev/null 2>&1
    in=/dev/null
    same "--db with sources" --rules "$rules" --db "$tmp/q.db" \
        --format json "$tmp/mix.ndjson"
    grep -q '"rule":"COPIED_SOURCE"' "$tmp/O3" || bad "--db: no COPIED_SOURCE"
    grep -q '"rule":"SAME_TEXT"' "$tmp/O3" || bad "--db: no SAME_TEXT"
    [ "$(grep -c . "$tmp/O3")" -eq 90 ] || bad "--db: $(grep -c . "$tmp/O3") verdicts, want 90"

    # 5. The corpus: files in JSON and text, and one stream on stdin.
    find "$bbc" -name '*.txt' ! -name 'README*' | LC_ALL=C sort > "$tmp/files"
    # shellcheck disable=SC2046  # one argument per file
    same "BBC files, JSON" --rules "$rules" --format json $(cat "$tmp/files")
    [ "$(grep -c . "$tmp/O3")" -ge 1800 ] || bad "BBC: $(grep -c . "$tmp/O3") verdicts"
    # shellcheck disable=SC2046
    same "BBC files, text" --rules "$rules" --format text $(cat "$tmp/files")
    python3 - "$tmp/files" > "$tmp/bbc.ndjson" <<'PY'
import json, sys
for p in open(sys.argv[1]).read().split():
    x = open(p, encoding="latin-1").read().strip().split("\n", 1)
    print(json.dumps({"title": x[0].strip(),
                      "body": x[1].strip() if len(x) > 1 else ""}))
PY
    for k in 1 3; do
        cat "$tmp/bbc.ndjson" | NEWSGATE_CHECKERS=$k "$bin" check \
            --rules "$rules" --format json - 2> "$tmp/pe$k" | norm > "$tmp/p$k"
        norm < "$tmp/pe$k" >> "$tmp/p$k"
    done
    cmp -s "$tmp/p1" "$tmp/p3" || { bad "BBC stream on stdin differs"; diff "$tmp/p1" "$tmp/p3" | cut -c1-200 | head -n 6; }
fi

# 4. Input that pauses after 1, 2 or 3 items, with the checker threads
#    started (a group of 40 first) and waiting (fewer than wake them):
#    the producer writes a group and waits for its verdicts before the
#    next (at most 60 s each).
for k in 2 3; do
    rm -f "$tmp/fifo"; mkfifo "$tmp/fifo" || exit 70
    : > "$tmp/po"
    NEWSGATE_CHECKERS=$k timeout 120 "$bin" check --rules "$rules" \
        --format json < "$tmp/fifo" > "$tmp/po" 2> "$tmp/pe" &
    pid=$!
    exec 3> "$tmp/fifo"
    want=0
    for n in 1 40 1 2 3 1 3 2 36 3 1; do
        # One write for the group (under PIPE_BUF), so that it arrives
        # at once and the reader gets a ring ahead.
        printf '{"title":"Paused %d","body":"A body of a paused stream."}\n' \
            $(seq $want $((want + n - 1))) >&3
        want=$((want + n))
        i=0
        while [ "$(grep -c . "$tmp/po")" -lt $want ] && [ $i -lt 600 ]; do
            sleep 0.1; i=$((i + 1))
        done
        [ "$(grep -c . "$tmp/po")" -eq $want ] \
            || { bad "paused input ($k checkers): $(grep -c . "$tmp/po") verdicts, want $want"; break; }
    done
    exec 3>&-
    wait $pid || bad "paused input ($k checkers): exit $?: $(cat "$tmp/pe")"
    seq 1 $want | while read -r i; do
        sed -n "${i}p" "$tmp/po" | grep -q "^{\"input\":\"-\",\"item\":$i," \
            || echo "line $i: $(sed -n "${i}p" "$tmp/po" | cut -c1-60)"
    done > "$tmp/order"
    [ -s "$tmp/order" ] && bad "paused input ($k checkers): out of order: $(head -n 2 "$tmp/order")"
done

[ $fail -eq 0 ] && echo "ok: check with 3 checkers = 1 ($cases CLI cases, bad items between good ones, --db with sources, paused input, BBC)"
exit $fail
