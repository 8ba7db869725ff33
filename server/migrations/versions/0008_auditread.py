"""audit rows name the org unit of their object; index for reading by action and time

Revision ID: 0008_auditread
Revises: 0007_register
Create Date: 2026-12-01 12:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_auditread'
down_revision = '0007_register'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_entry_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index('ix_audit_entry_action_at', ['action', 'at'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_audit_entry_unit_id_org_unit'), 'org_unit', ['unit_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_entry_unit_id_org_unit'), type_='foreignkey')
        batch_op.drop_index('ix_audit_entry_action_at')
        batch_op.drop_index(batch_op.f('ix_audit_entry_unit_id'))
        batch_op.drop_column('unit_id')
