#!/bin/sh
# rules-doc.sh -- runs every example of docs/rules.md (rule sets through
# `newsgate test` and `newsgate lint`, console sessions compared line by
# line), so the reference cannot drift from the code.
cd "$(dirname "$0")/../.." || exit 70
command -v python3 > /dev/null || { echo "skip: no python3"; exit 77; }
exec python3 tests/tools/doc-examples.py docs/rules.md "${NEWSGATE_BIN:?}"
