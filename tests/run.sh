#!/usr/bin/env bash
# Installs what the tests need and runs the whole suite:
#   1. ruff (lint + format check), import-linter (the one-way stack, Flask-free core),
#      Biome on pwa/ (lint + format check, biome.json)
#   2. pytest on SQLite; beside it, the browser tests (Chromium, on SQLite)
#   3. beside both, pytest again on PostgreSQL (browser tests aside), in a database made for
#      this run and dropped after it
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

RUN_DIR=$(mktemp -d)
trap 'rm -rf "$RUN_DIR"' EXIT
# Where bytecode may not be written beside the sources (PYTHONDONTWRITEBYTECODE), every pass and
# every server process the tests start compiled the same thousand modules again: compile them
# once for the run, into the run's directory.
if [ -n "${PYTHONDONTWRITEBYTECODE:-}" ]; then
    unset PYTHONDONTWRITEBYTECODE
    export PYTHONPYCACHEPREFIX="$RUN_DIR/pycache"
fi
# Collecting imports (so compiles) what the passes import; done beside the lint below, the three
# passes then start without each compiling the same modules at once.
.venv/bin/python -m pytest -p no:cacheprovider -q --collect-only >/dev/null 2>&1 &
WARM_PID=$!

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== import contracts"
.venv/bin/lint-imports

echo "== biome"
.venv/bin/biome ci pwa
wait "$WARM_PID" || true

# Three passes run side by side: the SQLite pass without the browser, the browser tests (on
# SQLite; they wait on Chromium most of the time) and the PostgreSQL pass, so the machine's two
# cores stay busy. Each has its own temporary directory; the logs of the two background passes
# follow the first one's output.
DB_NAME="vha_test_$$_$(date +%s)"
PG_PID=""
if TEST_DB_URL=$(.venv/bin/python -m tests.pgdb create "$PG_ADMIN_URL" "$DB_NAME"); then
    trap '.venv/bin/python -m tests.pgdb drop "$PG_ADMIN_URL" "$DB_NAME" || true; rm -rf "$RUN_DIR"' EXIT
    TEST_DATABASE_URL="$TEST_DB_URL" .venv/bin/python -m pytest -p no:cacheprovider \
        --basetemp="$RUN_DIR/pg" -m "not browser" "$@" >"$RUN_DIR/pg.log" 2>&1 &
    PG_PID=$!
elif [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is required when CI=true and is not reachable at $PG_ADMIN_URL" >&2
    exit 1
else
    echo "PostgreSQL not reachable at $PG_ADMIN_URL: the PostgreSQL pass is skipped (not CI)." >&2
fi

.venv/bin/python -m pytest -p no:cacheprovider --basetemp="$RUN_DIR/browser" -m browser "$@" \
    >"$RUN_DIR/browser.log" 2>&1 &
BROWSER_PID=$!

echo "== pytest on SQLite"
SQLITE_STATUS=0
.venv/bin/python -m pytest --basetemp="$RUN_DIR/sqlite" -m "not browser" "$@" || SQLITE_STATUS=$?

BROWSER_STATUS=0
wait "$BROWSER_PID" || BROWSER_STATUS=$?
echo "== pytest in Chromium (on SQLite)"
cat "$RUN_DIR/browser.log"

PG_STATUS=0
if [ -n "$PG_PID" ]; then
    wait "$PG_PID" || PG_STATUS=$?
    echo "== pytest on PostgreSQL"
    cat "$RUN_DIR/pg.log"
fi
if [ "$SQLITE_STATUS" -ne 0 ] || [ "$BROWSER_STATUS" -ne 0 ] || [ "$PG_STATUS" -ne 0 ]; then
    echo "FAILED: SQLite pass exit $SQLITE_STATUS, browser pass exit $BROWSER_STATUS," \
        "PostgreSQL pass exit $PG_STATUS" >&2
    exit 1
fi
