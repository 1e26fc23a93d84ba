#!/bin/sh
# run.sh SHARED_DATA -- runs every benchmark part (tests/bench/*.sh) in
# name order.  Each prints its own figures; parts skip when the shared
# data is absent.
cd "$(dirname "$0")/../.." || exit 70
export NEWSGATE_SHARED="${1:-../shared/data}"
export NEWSGATE_BIN="${NEWSGATE_BIN:-$PWD/newsgate}"
export NEWSGATE_TOOLS="$PWD/${BUILD:-build}/tools"
export NEWSGATE_RULES="$PWD/rules"
if [ ! -d "$NEWSGATE_SHARED/bbc" ]; then
    echo "bench: $NEWSGATE_SHARED/bbc not found; nothing to measure" >&2
    exit 0
fi
for part in tests/bench/[0-9]*.sh; do
    [ -f "$part" ] || continue
    sh "$part" || echo "bench: $part failed" >&2
done
