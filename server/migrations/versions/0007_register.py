"""resident end of record and mother

Revision ID: 0007_register
Revises: 0006
Create Date: 2026-12-01 12:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_register'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('end_reason', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('end_destination', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('mother_id', sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f('ix_resident_mother_id'), ['mother_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_resident_mother_id_resident'), 'resident', ['mother_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_resident_mother_id_resident'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_resident_mother_id'))
        batch_op.drop_column('mother_id')
        batch_op.drop_column('end_destination')
        batch_op.drop_column('end_reason')
        batch_op.drop_column('ended_on')
