#!/bin/sh
# run.sh -- `make bench-server`: drives `newsgate serve` (2 HTTP threads,
# fresh database, the project's rules) on loopback and prints throughput
# and latency percentiles:
#   1. wrk, closed loop, 64 connections, POST /v1/items (submit.lua):
#      the most submissions per second;
#   2. tests/tools/rateload, open loop at a fixed 1,000 submissions/s:
#      latency at that rate (wrk2 is not in Debian).
# First the same wrk load on POST /v1/check (parse and check on the HTTP
# threads, nothing filed): the HTTP side's ceiling.
# Each runs durable (fsync per group commit) and with --no-sync, which
# separates the disk's share from the CPU's.  Writer time by phase comes
# from /metrics.  Figures go to docs/benchmarks.md by hand, as medians.
#
#   sh tests/bench/server/run.sh [SECONDS [PARTS]]
#
# PARTS (default "check durable no-sync") picks the runs, RATE (1000) the
# fixed rate; each prints the
# server's CPU per request beside the wall figures.  Set NEWSGATE_BIN to
# compare another build.
cd "$(dirname "$0")/../../.." || exit 70
N=${NEWSGATE_BIN:-$PWD/newsgate}
TOOLS=${NEWSGATE_TOOLS:-$PWD/build/tools}
SECS=${1:-10}
PARTS=${2:-check durable no-sync}
RATE=${RATE:-1000}   # the fixed rate; equal item counts compare CPU fairly
command -v wrk > /dev/null || { echo "bench-server: wrk not installed (make deps)"; exit 0; }
T=$(mktemp -d) || exit 70
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$T"' EXIT

start() { # extra serve options...
    rm -f "$T"/q.db* "$T/log"
    : > "$T/log"
    "$N" serve --listen 127.0.0.1:0 --db "$T/q.db" --rules rules \
        --threads 2 "$@" 2> "$T/log" &
    pid=$!
    i=0
    while ! port=$(sed -n 's/.*listening on http:\/\/[0-9.]*:\([0-9]*\).*/\1/p' "$T/log") \
          || [ -z "$port" ]; do
        i=$((i + 1)); [ $i -gt 500 ] && { cat "$T/log"; exit 1; }
        sleep 0.01
    done
}

# CPU seconds (user + system) the server used so far: all threads, then
# the writer thread alone ("ng-writer"), from /proc (clock ticks).
cpu() {
    tck=$(getconf CLK_TCK)
    all=$(awk -v t="$tck" '{ print ($14 + $15) / t }' "/proc/$pid/stat")
    wr=0
    for d in /proc/$pid/task/*; do
        [ "$(cat "$d/comm")" = ng-writer ] &&
            wr=$(awk -v t="$tck" '{ print ($14 + $15) / t }' "$d/stat")
    done
    echo "$all $wr"
}

# Runs a load command (its output has a line "requests N, ..."), then
# prints the server's CPU per request: the figure that holds on a busy
# machine, where wall-clock throughput does not.
load() {
    set -- $(cpu) "$@"
    c0=$1 w0=$2; shift 2
    "$@" > "$T/out"
    sed -n '/^requests/,$p' "$T/out"
    set -- $(cpu)
    n=$(sed -n 's/^requests \([0-9]*\).*/\1/p' "$T/out" | head -1)
    [ -n "$n" ] && [ "$n" -gt 0 ] && awk -v c="$1" -v c0="$c0" -v w="$2" \
        -v w0="$w0" -v n="$n" 'BEGIN { printf "cpu per request: %.0f us " \
        "(writer thread %.0f us)\n", (c - c0) / n * 1e6, (w - w0) / n * 1e6 }'
}

stop() {
    curl -s "http://127.0.0.1:$port/metrics" | awk '
        /^newsgate_writer_seconds_total/ { split($1, a, "\""); w[a[2]] = $2 }
        /^newsgate_writer_checks_total/ { split($1, a, "\""); r[a[2]] = $2 }
        /^newsgate_group_commits_total/ { c = $2 }
        /^newsgate_group_jobs_sum/ { j = $2 }
        END { if (c > 0) printf "writer: %d group commits, %.1f requests each; " \
              "check %.2f s, file %.2f s, commit %.2f s\n", c, j / c,
              w["check"], w["file"], w["commit"]
              if (r["store_rules"] + r["all_again"] > 0)
                  printf "writer re-checked %d items: %d the rules that " \
                      "read the store, %d all rules\n", r["store_rules"] + \
                      r["all_again"], r["store_rules"], r["all_again"] }'
    kill $pid; wait $pid 2>/dev/null; pid=
}

echo "== bench-server: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
case " $PARTS " in *" check "*)
    echo "-- wrk, 2 threads, 64 connections, ${SECS} s, dry runs (POST /v1/check)"
    start
    export NG_PATH=/v1/check
    load wrk -t2 -c64 -d"${SECS}s" -s tests/bench/server/submit.lua \
        "http://127.0.0.1:$port"
    unset NG_PATH
    stop
esac
for mode in durable no-sync; do
    case " $PARTS " in *" $mode "*) ;; *) continue ;; esac
    opt=; [ $mode = no-sync ] && opt=--no-sync
    echo "-- wrk, 2 threads, 64 connections, ${SECS} s, $mode"
    start $opt
    load wrk -t2 -c64 -d"${SECS}s" -s tests/bench/server/submit.lua \
        "http://127.0.0.1:$port"
    stop
    if [ -x "$TOOLS/rateload" ]; then
        echo "-- rateload, $RATE submissions/s, 32 connections, ${SECS} s, $mode"
        start $opt
        load "$TOOLS/rateload" 127.0.0.1 "$port" "$RATE" "$SECS" 32
        stop
    fi
done
