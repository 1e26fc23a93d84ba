#!/bin/sh
# fault-io.sh -- disk full (ENOSPC) and I/O errors (EIO) on the store,
# injected by the failio.so shim (tests/faults/failio.c) after N write or
# sync calls on the database's files, during a `submit` of 600 items into
# a store that already holds two.  Each run must end with exit 73 (the
# store cannot be opened) or 74 (store error) and a message naming the
# database and the problem, or (the fault came too late) 0.  Afterwards,
# without the shim: integrity_check is ok, every printed id is stored,
# every stored item is whole (its verdict and audit entry are there),
# at most the one batch in flight is stored unprinted (a failed fsync
# cannot undo a commit that reached the WAL, see
# docs/hardening-faults.md), and the store takes a new submission.
set -u
N=$NEWSGATE_BIN
so=${NEWSGATE_TOOLS:?}/../faults/failio.so
command -v sqlite3 > /dev/null || { echo "no sqlite3 shell"; exit 77; }
[ -f "$so" ] || { echo "no $so (built by make test)"; exit 77; }
ldd "$N" 2>/dev/null | grep -q libasan && { echo "ASan build"; exit 77; }
T=$(mktemp -d) || exit 70
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
awk 'BEGIN { for (i = 1; i <= 600; i++)
    printf "{\"title\":\"Disk full story %d\",\"body\":\"Story %d: the committee met %d times this year and approved %d new rules, its chair said on Monday.\",\"submitter\":\"s%d\"}\n", i, i, i % 97, i % 13, i % 50 }' > "$T/in"
"$N" submit --db "$T/base.db" --format json samples/batch.ndjson > /dev/null 2>&1
[ "$(sqlite3 "$T/base.db" 'SELECT count(*) FROM items')" = 2 ] || fail "set-up"
sqlite3 "$T/base.db" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
tripped=0
runs=0
for errno in ENOSPC EIO; do
  for ops in write sync; do
    case $ops in write) afters="0 4 12 40 70 110 160 220" ;; *) afters="0 2 4" ;; esac
    for after in $afters; do
        runs=$((runs + 1))
        what="$ops $errno after $after"
        rm -f "$T"/t.db*; cp "$T/base.db" "$T/t.db"
        LD_PRELOAD=$so FAULTIO_PATH=t.db FAULTIO_OPS=$ops \
            FAULTIO_AFTER=$after FAULTIO_ERRNO=$errno \
            "$N" submit --db "$T/t.db" --format json "$T/in" \
            > "$T/out" 2> "$T/err"
        st=$?
        case $st in
        0)  ;;
        73|74)
            tripped=$((tripped + 1))
            grep -q "^newsgate: $T/t.db: .*\(disk I/O error\|database or disk is full\)" "$T/err" \
                || fail "$what: exit $st, message: $(cat "$T/err")" ;;
        *)  fail "$what: exit $st: $(cat "$T/err")" ;;
        esac
        [ "$(sqlite3 "$T/t.db" 'PRAGMA integrity_check')" = ok ] \
            || fail "$what: integrity_check"
        sed -n 's/^{"id":\([0-9]*\),.*}$/\1/p' "$T/out" | sort -n > "$T/printed"
        sqlite3 "$T/t.db" 'SELECT id FROM items WHERE id > 2 ORDER BY id' \
            | sort -n > "$T/stored"
        lost=$(comm -23 "$T/printed" "$T/stored" | wc -l)
        [ "$lost" = 0 ] || fail "$what: $lost printed ids are not stored"
        extra=$(comm -13 "$T/printed" "$T/stored" | wc -l)
        [ "$extra" -le 256 ] || fail "$what: $extra stored ids were not printed"
        [ $st = 0 ] && [ "$extra" != 0 ] && fail "$what: exit 0, $extra unprinted"
        partial=$(sqlite3 "$T/t.db" "SELECT count(*) FROM items i WHERE
            NOT EXISTS (SELECT 1 FROM audit a WHERE a.item_id = i.id)
            OR verdict IS NULL")
        [ "$partial" = 0 ] || fail "$what: $partial items stored in part"
        echo '{"title":"After the fault","body":"The store still works."}' \
            | "$N" submit --db "$T/t.db" --format json > "$T/after" 2>&1 \
            || fail "$what: submit afterwards: $(cat "$T/after")"
        echo "$what: exit $st, $(wc -l < "$T/printed") printed, $(wc -l < "$T/stored") stored; $(head -1 "$T/err")"
    done
  done
done
[ $tripped -ge 18 ] || fail "only $tripped of $runs runs met the fault"
echo "$tripped of $runs runs met the fault"
