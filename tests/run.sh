#!/usr/bin/env bash
# Installs what the tests need and runs the whole suite:
#   1. ruff (lint + format check), import-linter (the one-way stack, Flask-free core),
#      Biome on pwa/ (lint + format check, biome.json)
#   2. pytest on SQLite, browser tests included
#   3. pytest again on PostgreSQL, in a database made for this run and dropped after it
# With CI=true the PostgreSQL pass and the browser tests are required: an unreachable
# PostgreSQL or a missing Chromium fails the run instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
PG_ADMIN_URL="${TEST_POSTGRES_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== import contracts"
.venv/bin/lint-imports

echo "== biome"
.venv/bin/biome ci pwa

echo "== pytest on SQLite"
.venv/bin/python -m pytest "$@"

echo "== pytest on PostgreSQL"
DB_NAME="vha_test_$$_$(date +%s)"
if ! TEST_DB_URL=$(.venv/bin/python -m tests.pgdb create "$PG_ADMIN_URL" "$DB_NAME"); then
    if [ "${CI:-}" = "true" ]; then
        echo "PostgreSQL is required when CI=true and is not reachable at $PG_ADMIN_URL" >&2
        exit 1
    fi
    echo "PostgreSQL not reachable at $PG_ADMIN_URL: skipping the PostgreSQL pass (not CI)." >&2
    exit 0
fi
trap '.venv/bin/python -m tests.pgdb drop "$PG_ADMIN_URL" "$DB_NAME" || true' EXIT
TEST_DATABASE_URL="$TEST_DB_URL" .venv/bin/python -m pytest -m "not browser" "$@"
