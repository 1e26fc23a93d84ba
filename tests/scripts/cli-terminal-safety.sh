#!/bin/sh
# cli-terminal-safety.sh -- a submission carrying ESC, CSI, OSC, BEL, C1
# controls and U+202E (right-to-left override) in its title, submitter and
# body is shown escaped in every text output (check, submit, queue list,
# queue show, error messages), and stays exact in JSON.
set -u
N=$NEWSGATE_BIN
D=tests/cli/data/hostile
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
fail=0
bad() { printf 'FAIL: %s\n' "$*"; fail=1; }

# No raw ESC, BEL, C1 (UTF-8 C2 80..C2 9F), CSI 9B, or bidi controls
# (E2 80 AA..AE, E2 81 A6..A9) may reach the terminal.
clean() { # label file
    if LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$2"; then
        bad "$1 has raw control characters:"; od -c "$2" | head -20
    else
        printf 'ok: %s clean\n' "$1"
    fi
}
has() { # label file text
    if grep -qF -- "$3" "$2"; then printf 'ok: %s shows %s\n' "$1" "$3"
    else bad "$1 lacks '$3':"; cat "$2"; fi
}

"$N" check --rules $D/rules --format text $D/item.json > "$T/check" 2>&1
clean "check text" "$T/check"
has "check text" "$T/check" 'title=Evil \x1b[2J\x1b]0;pwned\x07 \u009b31m C1 \u0085 \u202egnp.exe'
has "check text" "$T/check" 'by=mallory\x1b[1A\u202e\x07'
has "check text (newline in a match)" "$T/check" 'matches "red\x1b[0m and\nnext"'

"$N" submit --db "$T/q.db" --rules $D/rules --format text $D/item.json > "$T/submit" 2>&1
clean "submit text" "$T/submit"
has "submit text" "$T/submit" 'by=mallory\x1b[1A\u202e\x07'

"$N" queue list --db "$T/q.db" --format text > "$T/list" 2>&1
clean "queue list text" "$T/list"
has "queue list text" "$T/list" 'mallory\x1b~'
has "queue list text" "$T/list" 'Evil \x1b[2J\x1b]0;pwned\x07'

"$N" queue show 1 --db "$T/q.db" --format text --color=always > "$T/show" 2>&1
# --color=always adds our own SGR codes; strip exactly those before the check.
sed 's/\x1b\[[0-9;]*m//g' "$T/show" > "$T/show.plain"
clean "queue show text" "$T/show.plain"
has "queue show title" "$T/show" 'Evil \x1b[2J\x1b]0;pwned\x07 \u009b31m C1 \u0085 \u202egnp.exe'
has "queue show submitter" "$T/show" 'mallory\x1b[1A\u202e\x07'
has "queue show body" "$T/show" 'link\x1b]8;;\x07 bell\x07 \u0090dcs \u202ertl end'
has "queue show shadow" "$T/show" '[shadow: not scored]'
grep -q "$(printf '\033\\[31m')red" "$T/show" && bad "queue show lets the item's own SGR through"

"$N" queue show 1 --db "$T/q.db" --format text > "$T/show2" 2>&1
has "queue show marks the span" "$T/show2" '[[red\x1b[0m and'
has "queue show span rule" "$T/show2" ']]{MATCH_ESCAPES}'

# Error messages that quote item data.
printf '{"title":"x","\\u001b]0;t\\u0007\\u202e":1}\n' |
    "$N" check --rules $D/rules > /dev/null 2> "$T/err"
clean "error message" "$T/err"
has "error message" "$T/err" "unknown field '\\x1b]0;t\\x07\\u202e'"

# JSON stays exact: the title decodes to the very bytes submitted.
"$N" queue show 1 --db "$T/q.db" --format json > "$T/json"
python3 - "$T/json" $D/item.json <<'PY' || bad "JSON does not round-trip"
import json, sys
got = json.load(open(sys.argv[1]))["item"]
want = json.load(open(sys.argv[2]))
for k in ("title", "submitter"):
    assert got[k] == want[k], (k, got[k], want[k])
PY
exit $fail
