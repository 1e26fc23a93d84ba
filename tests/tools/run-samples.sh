#!/bin/sh
# run-samples.sh -- `make run`: the main job on the embedded SQLite
# default.  Checks the sample submissions in samples/ with the default
# rules, then files them into a fresh moderation queue (build/run.db) and
# lists it.  Review and reject verdicts are expected here, so their exit
# statuses (1, 2) count as success.
set -u
cd "$(dirname "$0")/../.." || exit 70
bin=${NEWSGATE_BIN:-./newsgate}
db=${BUILD:-build}/run.db
ok() { [ "$1" -le 2 ]; }

echo "== newsgate check samples/* (default rules) =="
"$bin" check --format text samples/*
ok $? || exit 1

echo
echo "== newsgate submit --db $db samples/* =="
rm -f "$db" "$db-wal" "$db-shm"
"$bin" submit --db "$db" --format text samples/*
ok $? || exit 1

echo
echo "== newsgate queue list --db $db =="
"$bin" queue list --db "$db" --format text || exit 1
