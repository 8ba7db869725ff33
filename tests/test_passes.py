"""The split between the passes (tests/passes.py): read off each test's fixtures and markers."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from tests.dbapps import SQLITE_ONLY
from tests.passes import connections_opened, runs_on_postgres, uses_database


def test_a_test_needing_no_database_fixture_counts_as_opening_none(request):
    assert not uses_database(request.node)
    assert not runs_on_postgres(request.node)


def test_a_test_on_the_world_opens_the_database_and_runs_on_postgresql(request, world):
    assert uses_database(request.node)
    assert runs_on_postgres(request.node)


@pytest.mark.database
def test_a_test_marked_database_runs_on_postgresql(request):
    assert runs_on_postgres(request.node)


@SQLITE_ONLY
def test_a_test_on_a_sqlite_file_of_its_own_is_left_to_the_sqlite_pass(request):
    assert uses_database(request.node)
    assert not runs_on_postgres(request.node)


@SQLITE_ONLY
def test_a_connection_opened_without_a_fixture_is_seen():
    engine = create_engine("sqlite://")
    with connections_opened() as opened, engine.connect():
        pass
    engine.dispose()
    assert opened == ["sqlite3"]


@pytest.mark.browser
def test_a_browser_test_on_its_servers_sqlite_file_is_left_to_the_sqlite_side(request):
    assert uses_database(request.node)
    assert not runs_on_postgres(request.node)
