"""Migrations build the same schema as the models, and come back down to nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from server import create_app
from server.config import normalise_database_url
from server.core.db import Base
from server.extensions import db


@pytest.fixture
def migration_app(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(empty_database_url)})
    with app.app_context():
        yield app
        db.engine.dispose()


def _table_names(app) -> set[str]:
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_creates_every_table_of_the_models(migration_app):
    upgrade()
    assert _table_names(migration_app) == set(Base.metadata.tables)


def test_upgraded_schema_matches_the_models_exactly(migration_app):
    upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_downgrade_to_base_removes_every_table(migration_app):
    upgrade()
    downgrade(revision="base")
    assert _table_names(migration_app) == set()


def _columns(app, table: str) -> set[str]:
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        return {c["name"] for c in inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def test_units_existing_before_0013_get_no_settings_and_follow_the_default(migration_app):
    upgrade(revision="0012_effects")
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO org_unit (id, parent_id, level, code, name, population,"
                " resident_population, path, created_at, updated_at)"
                " VALUES (1, NULL, 'county', 'C', '县', 0, '{}', '/1/', :now, :now)"
            ),
            {"now": datetime(2026, 1, 1, tzinfo=UTC)},
        )
    upgrade(revision="0013_settings")
    with db.engine.connect() as conn:
        stored = conn.execute(text("SELECT settings FROM org_unit")).scalar_one()
    assert stored in ({}, "{}")
    downgrade(revision="0012_effects")
    assert "settings" not in _columns(migration_app, "org_unit")
