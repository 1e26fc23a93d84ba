#!/bin/sh
# dup-submit.sh -- the duplicate rules end to end through the real binary:
# submit items into a fresh store, then submit / check copies and look for
# SAME_URL, SAME_TEXT, NEAR_DUPLICATE (with its detail),
# SAME_TITLE_DIFFERENT_TEXT and RESUBMITTED_REJECTED; and the Lua API
# (item:nearest / same_*) field by field through a probe rule.
# Needs no shared data.
bin=${NEWSGATE_BIN:?}
rules=${NEWSGATE_RULES:?}
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
fail=0
db=$tmp/q.db
mkdir "$tmp/rules"
cp "$rules/duplicates.lua" "$tmp/rules/"

# The probe rule reports what the Lua API returns.
cat > "$tmp/rules/zz_probe.lua" <<'LUA'
rule {
  name = "PROBE", group = "probe", score = 0,
  description = "reports duplicate look-ups",
  check = function(item)
    local n = item:nearest { min = 0.3, limit = 3 }
    local parts = { "n=" .. #n }
    for i, d in ipairs(n) do
      parts[#parts + 1] = string.format(
        "[%d id=%d sim=%.2f jac=%.2f cont=%.2f contd=%.2f st=%s t=%s at=%d]",
        i, d.id, d.similarity, d.jaccard, d.containment, d.contained,
        d.status, d.title, d.submitted_at)
    end
    local u, t, h = item:same_url(), item:same_text(), item:same_title()
    parts[#parts + 1] = "url=" .. (u and u[1].id or "nil")
    parts[#parts + 1] = "text=" .. (t and t[1].id or "nil")
    parts[#parts + 1] = "title=" .. (h and h[1].id or "nil")
    return true, table.concat(parts, " ")
  end,
}
LUA

para() { # N SEED -> N pseudo-random sentences
    awk -v n="$1" -v s="$2" 'BEGIN { srand(s); for (i = 0; i < n; i++) {
        for (j = 0; j < 12; j++) printf "w%d ", int(rand() * 5000);
        printf "end. " } }'
}
A1=$(para 6 1) A2=$(para 6 2) A3=$(para 6 3) A4=$(para 6 4) A5=$(para 6 5)
B1=$(para 6 11) B2=$(para 6 12) B3=$(para 6 13)
C1=$(para 6 21) C2=$(para 6 22)
item() { # title url body...
    t=$1 u=$2; shift 2
    b=$(printf '%s\\n\\n' "$@")
    printf '{"title":"%s","url":"%s","body":"%s","submitted_at":"2025-01-02T03:04:05Z"}\n' "$t" "$u" "$b"
}
submit() { "$bin" submit --db "$db" --rules "$tmp/rules" --format json - ; }
check() { "$bin" check --db "$db" --rules "$tmp/rules" --format json - ; }
expect() { # label file text
    if grep -qF -- "$3" "$2"; then echo "ok: $1"
    else echo "FAIL: $1: no '$3' in:"; cat "$2"; fail=1; fi
}
lacks() {
    if grep -qF -- "$3" "$2"; then echo "FAIL: $1: '$3' in:"; cat "$2"; fail=1
    else echo "ok: $1"; fi
}

item "Alpha story about things" "https://www.example.com/a?utm_source=x" \
    "$A1" "$A2" "$A3" "$A4" "$A5" | submit > "$tmp/1" 2>&1
expect "first item accepted" "$tmp/1" '"id":1,'
lacks "first item has no duplicate" "$tmp/1" '"group":"duplicate"'
expect "probe sees an empty store" "$tmp/1" 'n=0 url=nil text=nil title=nil'

# Same text, different case/spacing/punctuation, new title and URL.
item "Totally new title" "https://other.org/x" \
    "$(echo "$A1" | tr a-z A-Z)" "$A2" "$A3" "$A4" "$A5!!!" | submit > "$tmp/2"
expect "same text rejected" "$tmp/2" '"forced":{"action":"reject","rule":"SAME_TEXT"}'
expect "same text names #1" "$tmp/2" 'same text as #1 \"Alpha story about things\" (accepted)'
lacks "no near-duplicate on top of same text" "$tmp/2" '"rule":"NEAR_DUPLICATE"'

# Same URL (canonical: scheme, www., tracking parameter, slash).
item "Unrelated" "http://example.com/a/#top" "$C1" "$C2" | submit > "$tmp/3"
expect "same URL rejected" "$tmp/3" '"forced":{"action":"reject","rule":"SAME_URL"}'
expect "probe same_url" "$tmp/3" 'url=1 '

# Near duplicate: paragraphs reordered, one dropped, boilerplate added.
item "Alpha, retold" "" "Home News Sport" "$A3" "$A1" "$A2" "$A4" \
    "Share this on Facebook" | submit > "$tmp/4"
expect "near duplicate" "$tmp/4" '"rule":"NEAR_DUPLICATE"'
expect "near duplicate detail" "$tmp/4" '% like #1 \"Alpha story about things\"'
expect "probe nearest fields" "$tmp/4" '[1 id=1 sim='
expect "probe status and time" "$tmp/4" 'st=accepted t=Alpha story about things at=1735787045]'

# Same title, different text -> review.
item "Alpha story about things" "" "$B1" "$B2" "$B3" | submit > "$tmp/5"
expect "same title different text" "$tmp/5" '"rule":"SAME_TITLE_DIFFERENT_TEXT"'
expect "same title forces review" "$tmp/5" '"action":"review"'

# A rejected item resubmitted with small edits is rejected.
"$bin" queue show 3 --db "$db" --format json > "$tmp/show3" 2>&1
expect "item 3 stored as rejected" "$tmp/show3" '"status":"rejected"'
item "Gamma" "" "$C1" "$C2 extra words here" | submit > "$tmp/6"
expect "resubmitted rejected (near #3)" "$tmp/6" '"rule":"RESUBMITTED_REJECTED"'
expect "resubmission names the rejected item" "$tmp/6" 'resubmits rejected #3'

# check --db reads the store without writing to it.
item "Alpha story about things" "" "$A1" "$A2" "$A3" "$A4" "$A5" | check > "$tmp/7"
expect "check --db sees same text" "$tmp/7" '"rule":"SAME_TEXT"'
expect "check --db: nearest lists several" "$tmp/7" '[2 id='
"$bin" queue list --db "$db" --format json > "$tmp/list" 2>&1
expect "queue lists the submitted items" "$tmp/list" '"id":6'
lacks "check stored nothing" "$tmp/list" '"id":7'

# Without a store none of the duplicate rules fire.
item "Alpha story about things" "" "$A1" "$A2" | \
    "$bin" check --rules "$tmp/rules" --format json - > "$tmp/8"
lacks "no store, no duplicate hits" "$tmp/8" '"group":"duplicate"'
expect "no store: probe sees nothing" "$tmp/8" 'n=0 url=nil text=nil title=nil'
exit $fail
