"""org units keep their own settings (the immunisation schedule version, later clinic days)

Revision ID: 0013_settings
Revises: 0012_effects
Create Date: 2026-12-01 17:00:00

A unit's settings are a JSON object by key; a key it leaves out is inherited from its parent
(server/domain/orgs/settings.py), so every existing unit starts with none and follows the
default, as `pins.json` (empty) had it.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013_settings"
down_revision = "0012_effects"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "settings",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=False,
                server_default="{}",
            )
        )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        # A batch copy would drop org_unit, which every other table references: SQLite (3.35+)
        # drops the column in place instead.
        op.execute("ALTER TABLE org_unit DROP COLUMN settings")
        return
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.drop_column("settings")
