#!/bin/sh
# 50-pg.sh -- submissions per second through `newsgate serve` (wrk,
# tests/bench/server/submit.lua: one new item per POST /v1/items) on:
#   1. SQLite, one server;
#   2. PostgreSQL, one server;
#   3. PostgreSQL, two servers on one database (two wrk, one per server,
#      at the same time; the figure is their sum).
# Each server has 2 HTTP threads; each configuration gets 64 connections
# in all.  Then, less sensitive to a loaded machine, CPU time per item of
# `newsgate submit` of the BBC corpus (when $NEWSGATE_SHARED/bbc is
# there): the client's task-clock (perf stat) on SQLite and PostgreSQL,
# and the PostgreSQL server's (its postmaster's reaped children, from
# /proc; autovacuum included).  The cluster is throwaway (tests/tools/pgcluster.sh) with
# fsync on, and durable commits (synchronous_commit on) as in production.
# Figures go to docs/benchmarks.md by hand.
#
#   sh tests/bench/50-pg.sh [SECONDS] [RUNS]
cd "$(dirname "$0")/../.." || exit 70
N=${NEWSGATE_BIN:-$PWD/newsgate}
SECS=${1:-8}
RUNS=${2:-1}
command -v wrk > /dev/null || { echo "50-pg: wrk not installed (make deps)"; exit 0; }
. tests/tools/pgcluster.sh
T=$(mktemp -d) || exit 70
pids=
trap 'for p in $pids; do kill $p 2>/dev/null; done; pg_stop; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM      # so a killed run still stops its cluster
pg_start > /dev/null || { echo "50-pg: PostgreSQL not installed; skipped"; exit 0; }
# A durable cluster for the figures (pgcluster.sh turns fsync off for
# tests).
pg_stopdb && pg_as sh -c "echo 'fsync = on' >> '$PGT/data/postgresql.conf'" && pg_startdb

serve() { # db name: starts a server, sets $port (log in $T/name.log)
    : > "$T/$2.log"
    "$N" serve --listen 127.0.0.1:0 --db "$1" --rules rules --threads 2 \
        > /dev/null 2> "$T/$2.log" &
    pids="$pids $!"
    i=0
    while ! port=$(sed -n 's/.*listening on http:\/\/[0-9.]*:\([0-9]*\).*/\1/p' "$T/$2.log") \
          || [ -z "$port" ]; do
        i=$((i + 1)); [ $i -gt 1000 ] && { cat "$T/$2.log" >&2; exit 1; }
        sleep 0.01
    done
}

stop_all() { for p in $pids; do kill $p 2>/dev/null; wait $p 2>/dev/null; done; pids=; }

rate() { # port connections [tid base] -> requests/s
    NG_TID_BASE=${3:-0} wrk -t1 -c"$2" -d"${SECS}s" -s tests/bench/server/submit.lua \
        "http://127.0.0.1:$1" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'
}

echo "== 50-pg: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), ${SECS} s per run"
for run in $(seq "$RUNS"); do
    rm -f "$T"/q.db*
    serve "$T/q.db" sqlite
    echo "sqlite, one server: $(rate "$port" 64) submissions/s"
    stop_all
    db=$(pg_newdb one$run) || exit 1
    serve "$db" pg1
    echo "postgresql, one server: $(rate "$port" 64) submissions/s"
    stop_all
    db=$(pg_newdb two$run) || exit 1
    serve "$db" pga
    p1=$port
    serve "$db" pgb
    p2=$port
    rate "$p1" 32 > "$T/ra" &
    w1=$!
    rate "$p2" 32 50 > "$T/rb" &    # other items than the first wrk
    w2=$!
    wait $w1 $w2
    echo "postgresql, two servers: $(cat "$T/ra") + $(cat "$T/rb") =" \
         "$(echo "$(cat "$T/ra") + $(cat "$T/rb")" | bc) submissions/s"
    stop_all
done

# ---- CPU time per submission ------------------------------------------
bbc=${NEWSGATE_SHARED:-../shared/data}/bbc
[ -d "$bbc" ] && command -v perf > /dev/null || exit 0
find "$bbc" -name '*.txt' ! -name README.TXT | sort > "$T/files"
n=$(wc -l < "$T/files")
pgcpu() { # CPU ms of the cluster's processes that have exited
    awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15 + $16 + $17) * 1000 / hz }' \
        "/proc/$(head -1 "$PGT/data/postmaster.pid")/stat"
}
cpu() { # db -> task-clock ms of one submit of the corpus
    xargs perf stat -x, -e task-clock -o "$T/perf" "$N" submit --db "$1" \
        --rules rules --format json < "$T/files" > /dev/null 2>&1
    cut -d, -f1 < "$T/perf" | grep '^[0-9]' | tail -1
}
echo "-- CPU time, submit of $n BBC articles (task-clock)"
for run in $(seq "$RUNS"); do
    rm -f "$T"/c.db*
    echo "sqlite: newsgate $(cpu "$T/c.db") ms"
    db=$(pg_newdb cpu$run) || exit 1
    before=$(pgcpu)
    client=$(cpu "$db")
    sleep 1     # the backend is reaped
    echo "postgresql: newsgate $client ms, server $(echo "$(pgcpu) - $before" | bc) ms"
done
