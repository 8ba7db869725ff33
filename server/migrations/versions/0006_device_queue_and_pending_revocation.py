"""device queue report and pending revocation

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_push_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('queued', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('revoke_after_upload_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.drop_column('revoke_after_upload_at')
        batch_op.drop_column('queued')
        batch_op.drop_column('last_push_at')
