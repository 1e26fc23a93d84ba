#!/bin/sh
# server.sh -- end-to-end tests of `newsgate serve` over real HTTP on a
# free loopback port (tests/server/test_server.py: every endpoint and
# error status, tokens, access log, hostile rules, malformed and slow
# clients, reloads under load, graceful stop, SIGKILL crash, the curl
# examples of docs/api.md).  Skips without python3.
command -v python3 > /dev/null || { echo "no python3"; exit 77; }
cd "$(dirname "$0")/../.." || exit 70
exec python3 tests/server/test_server.py
