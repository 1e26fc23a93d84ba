#!/bin/sh
# attribution-seed.sh -- the RT article pasted without credit
# (../shared/data/seed) hits UNCREDITED_PUBLISHER naming RT with the
# evidence and its spans; the same text submitted with "Source: RT" and an
# rt.com URL does not.
bin=${NEWSGATE_BIN:?}
seed=${NEWSGATE_SHARED:?}/seed/news-every-day-karabakh.txt
rules=${NEWSGATE_RULES:-rules}
[ -f "$seed" ] || { echo "skip: $seed absent"; exit 77; }
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT
"$bin" check --format json --rules "$rules" "$seed" > "$tmp/bare"
hit=$(grep -o '"rule":"UNCREDITED_PUBLISHER"[^}]*' "$tmp/bare")
echo "as pasted: $hit"
for want in "text looks like RT's" 'furniture \"Also on\" at 2335-2341 (4 times)' \
    'Like this story? Share it with a friend!\" at 6738-6777' \
    '"span":[2334,2341]' 'the submission credits no publisher'; do
    case $hit in *"$want"*) ;; *) echo "missing: $want"; exit 1 ;; esac
done
{ printf 'Title: Putin says balance of power in disputed Karabakh must be upheld\n'
  printf 'Source: RT\nURL: https://www.rt.com/russia/508012-putin-karabakh/\n\n'
  cat "$seed"; } > "$tmp/credited.txt"
"$bin" check --format json --rules "$rules" "$tmp/credited.txt" > "$tmp/cred"
if grep -q '"rule":"UNCREDITED_PUBLISHER"' "$tmp/cred"; then
    echo "credited copy still hits:"; cat "$tmp/cred"; exit 1
fi
echo "with Source: RT and an rt.com URL: no UNCREDITED_PUBLISHER"
