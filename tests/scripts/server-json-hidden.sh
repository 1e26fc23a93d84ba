#!/bin/sh
# server-json-hidden.sh -- every JSON answer of `newsgate serve` (verdicts,
# the queue, claims, sources, errors that repeat the input) escapes the C1
# controls and the invisible direction and line controls as \uXXXX, over
# real HTTP (tests/server/json_hidden.py).  Skips without python3.
command -v python3 > /dev/null || { echo "no python3"; exit 77; }
cd "$(dirname "$0")/../.." || exit 70
exec python3 tests/server/json_hidden.py
