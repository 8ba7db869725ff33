#!/usr/bin/env bash
# Installs what the tests need and runs the whole suite:
#   1. ruff (lint + format check), import-linter (the one-way stack, Flask-free core),
#      Biome on pwa/ (lint + format check, biome.json)
#   2. pytest on SQLite, browser tests included
#   3. pytest again on PostgreSQL (beside the SQLite pass), in a database made for this run
#      and dropped after it
# With CI=true the PostgreSQL pass and the browser tests are required: an unreachable
# PostgreSQL or a missing Chromium fails the run instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
PG_ADMIN_URL="${TEST_POSTGRES_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
# --no-compile: byte-compiling every installed module doubles the install (43.7 s against 23.6 s
# measured); Python compiles what the suite imports as it goes.
.venv/bin/pip install --quiet --disable-pip-version-check --no-compile -e '.[test]'

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== import contracts"
.venv/bin/lint-imports

echo "== biome"
.venv/bin/biome ci pwa

# The two database passes run side by side (the browser tests wait on Chromium much of the
# time, so the machine's two cores are used); the PostgreSQL pass's output follows the SQLite one.
DB_NAME="vha_test_$$_$(date +%s)"
PG_LOG=$(mktemp)
PG_PID=""
if TEST_DB_URL=$(.venv/bin/python -m tests.pgdb create "$PG_ADMIN_URL" "$DB_NAME"); then
    trap '.venv/bin/python -m tests.pgdb drop "$PG_ADMIN_URL" "$DB_NAME" || true; rm -f "$PG_LOG"' EXIT
    TEST_DATABASE_URL="$TEST_DB_URL" .venv/bin/python -m pytest -p no:cacheprovider \
        -m "not browser" "$@" >"$PG_LOG" 2>&1 &
    PG_PID=$!
elif [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is required when CI=true and is not reachable at $PG_ADMIN_URL" >&2
    exit 1
else
    echo "PostgreSQL not reachable at $PG_ADMIN_URL: the PostgreSQL pass is skipped (not CI)." >&2
fi

echo "== pytest on SQLite"
SQLITE_STATUS=0
.venv/bin/python -m pytest "$@" || SQLITE_STATUS=$?

PG_STATUS=0
if [ -n "$PG_PID" ]; then
    wait "$PG_PID" || PG_STATUS=$?
    echo "== pytest on PostgreSQL"
    cat "$PG_LOG"
fi
if [ "$SQLITE_STATUS" -ne 0 ] || [ "$PG_STATUS" -ne 0 ]; then
    echo "FAILED: SQLite pass exit $SQLITE_STATUS, PostgreSQL pass exit $PG_STATUS" >&2
    exit 1
fi
