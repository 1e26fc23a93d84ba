#!/bin/sh
# cli-conventions.sh -- the command line behaves as an operator expects:
# `help CMD` and -V; colour only on a terminal, never with NO_COLOR or
# --color=never; a closing summary on stderr for batches; errors that do
# not land inside a progress line; every option of every --help in the
# man page.
set -u
cd "$(dirname "$0")/../.." || exit 70
N=$NEWSGATE_BIN
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
fail=0
bad() { printf 'FAIL: %s\n' "$*"; fail=1; }
ok() { printf 'ok: %s\n' "$*"; }
ESC=$(printf '\033')

# help CMD is the command's --help; -V the version.
for c in check submit queue learn; do
    "$N" help $c > "$T/h1" && "$N" $c --help > "$T/h2" && cmp -s "$T/h1" "$T/h2" ||
        bad "help $c differs from $c --help"
done
"$N" help > "$T/h" && grep -q '^usage: newsgate COMMAND' "$T/h" || bad "help"
"$N" help frobnicate 2> "$T/e"; [ $? = 64 ] || bad "help of an unknown command must exit 64"
[ "$("$N" -V)" = "$("$N" --version)" ] && "$N" -V | grep -q '^newsgate [0-9]' ||
    bad "-V: $("$N" -V)"
ok "help CMD, -V"

# Colour: never when piped (auto), with --color=never, or with NO_COLOR;
# --color=always colours.
item='{"title":"A title","body":"short"}'
echo "$item" | "$N" check --format text > "$T/c1"
echo "$item" | "$N" check --format text --color=always > "$T/c2"
echo "$item" | NO_COLOR=1 "$N" check --format text --color=always > "$T/c3"
echo "$item" | "$N" check --format text --color=never > "$T/c4"
grep -q "$ESC" "$T/c1" && bad "colour when piped"
grep -q "$ESC" "$T/c2" || bad "no colour with --color=always"
grep -q "$ESC" "$T/c3" && bad "colour with NO_COLOR set"
grep -q "$ESC" "$T/c4" && bad "colour with --color=never"
"$N" check --color=sometimes < /dev/null 2> "$T/e"; [ $? = 64 ] || bad "--color=sometimes accepted"
if command -v script > /dev/null; then
    # On a terminal (a pty made by script(1)) auto colours, NO_COLOR not.
    echo "$item" > "$T/item.json"
    script -qec "'$N' check --format text '$T/item.json'" /dev/null > "$T/t1" < /dev/null
    script -qec "NO_COLOR=1 '$N' check --format text '$T/item.json'" /dev/null > "$T/t2" < /dev/null
    grep -q "${ESC}\[1;32maccept" "$T/t1" || bad "no colour on a terminal: $(cat -v "$T/t1")"
    grep -q "${ESC}\[1" "$T/t2" && bad "colour on a terminal with NO_COLOR: $(cat -v "$T/t2")"
fi
ok "colour"

# A batch closes with a summary on stderr; one item does not.
printf '%s\n%s\n%s\n' '{"title":"One","body":"short"}' '{"bad":1}' \
    '{"title":"BUY NOW!!!","body":"short"}' > "$T/batch.ndjson"
"$N" check --format json "$T/batch.ndjson" > /dev/null 2> "$T/s"
grep -q '^newsgate: 3 items: 2 accepted, 0 review, 0 rejected, 1 errors' "$T/s" ||
    grep -q '^newsgate: 3 items: [0-9]* accepted, [0-9]* review, [0-9]* rejected, 1 errors' "$T/s" ||
    bad "summary: $(cat "$T/s")"
echo "$item" | "$N" check --format json > /dev/null 2> "$T/s1"
[ -s "$T/s1" ] && bad "summary for one item: $(cat "$T/s1")"
ok "batch summary"

# Progress on a terminal: an error line starts on a wiped line, never in
# the middle of the progress text.
if command -v script > /dev/null; then
    python3 -c '
import json
for i in range(3000):
    print(json.dumps({"title": "Item %d" % i, "body": "short body"}) if i != 1500 else "{broken")
' > "$T/big.ndjson"
    script -qec "'$N' check --format json '$T/big.ndjson' > /dev/null" /dev/null > "$T/p" < /dev/null
    # Every error message follows a carriage return + erase-line.
    tr '\r' '\n' < "$T/p" | grep 'newsgate: .*item 1501' > "$T/perr"
    grep -q '^\^\[\[Knewsgate: \|^'"$ESC"'\[Knewsgate: ' "$T/perr" ||
        bad "error not on a wiped line: $(cat -v "$T/perr")"
    tr '\r' '\n' < "$T/p" | grep -q "newsgate: 3000 items: 2999 accepted, 0 review, 0 rejected, 1 errors" ||
        tr '\r' '\n' < "$T/p" | grep -q "newsgate: 3000 items: .* 1 errors" ||
        bad "no summary after progress: $(tail -c 300 "$T/p" | cat -v)"
    ok "progress and errors on a terminal"
fi

# Every option every --help lists is in the man page, and the man page
# renders.
for c in check submit queue learn serve sources test lint replay stats rules; do
    "$N" $c --help; done | grep -o -- '--[a-z][a-z-]*' |
    sort -u > "$T/opts.1"
{ cat "$T/opts.1"; "$N" --help | grep -o -- "--[a-z][a-z-]*"; } | sort -u > "$T/opts"
sed 's/\\-/-/g' docs/newsgate.1 > "$T/man"
while read -r o; do
    grep -q -- "$o" "$T/man" || bad "option $o is not in docs/newsgate.1"
done < "$T/opts"
[ "$(wc -l < "$T/opts")" -ge 15 ] || bad "too few options found: $(cat "$T/opts")"
for c in check submit queue learn serve sources test lint replay stats rules help \
         list show approve reject claim ack release; do
    grep -q "^\.B.* $c\|^\.B $c\|^\.TP\n\.B $c" "$T/man" || grep -q "$c" "$T/man" ||
        bad "command $c not in the man page"
done
if command -v groff > /dev/null; then
    groff -man -Tutf8 -ww -z docs/newsgate.1 2> "$T/g" && [ ! -s "$T/g" ] ||
        bad "groff: $(cat "$T/g")"
fi
ok "man page lists every option ($(wc -l < "$T/opts") options)"
exit $fail
