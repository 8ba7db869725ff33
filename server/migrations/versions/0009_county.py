"""org units keep their resident (常住) population by year; staff accounts a phone number

Revision ID: 0009_county
Revises: 0008_auditread
Create Date: 2026-12-01 13:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0009_county'
down_revision = '0008_auditread'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'resident_population',
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
                nullable=False,
                server_default='{}',
            )
        )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('phone')
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.drop_column('resident_population')
