"""suspected duplicates work-list, device user agent, service record indexes

Revision ID: 0010_queue
Revises: 0009_county
Create Date: 2026-12-01 13:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_queue'
down_revision = '0009_county'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'suspected_duplicate',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('first_id', sa.Uuid(), nullable=False),
        sa.Column('second_id', sa.Uuid(), nullable=False),
        sa.Column('reason', sa.String(length=32), nullable=False),
        sa.Column('found_by', sa.String(length=16), nullable=False),
        sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_suspected_duplicate_decided_by_id_user_account')),
        sa.ForeignKeyConstraint(['first_id'], ['resident.id'], name=op.f('fk_suspected_duplicate_first_id_resident')),
        sa.ForeignKeyConstraint(['second_id'], ['resident.id'], name=op.f('fk_suspected_duplicate_second_id_resident')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_suspected_duplicate')),
        sa.UniqueConstraint('first_id', 'second_id', name='uq_suspected_pair'),
    )
    with op.batch_alter_table('suspected_duplicate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suspected_duplicate_first_id'), ['first_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suspected_duplicate_second_id'), ['second_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suspected_duplicate_status'), ['status'], unique=False)
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_agent', sa.String(length=400), nullable=True))
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.create_index('ix_resident_name_birth_date', ['name', 'birth_date'], unique=False)
    with op.batch_alter_table('service_record', schema=None) as batch_op:
        batch_op.create_index('ix_service_record_status_created', ['review_status', 'created_at', 'id', 'village_id', 'deleted'], unique=False)
        batch_op.create_index('ix_service_record_status_area', ['review_status', 'deleted', 'village_id', 'updated_at'], unique=False)
        batch_op.create_index('ix_service_record_village_visit', ['village_id', 'visit_date'], unique=False)
        batch_op.create_index('ix_service_record_author_visit', ['author_id', 'visit_date'], unique=False)
        batch_op.create_index('ix_service_record_resident_form_visit', ['resident_id', 'form_code', 'visit_date'], unique=False)


def downgrade():
    with op.batch_alter_table('service_record', schema=None) as batch_op:
        batch_op.drop_index('ix_service_record_resident_form_visit')
        batch_op.drop_index('ix_service_record_author_visit')
        batch_op.drop_index('ix_service_record_village_visit')
        batch_op.drop_index('ix_service_record_status_area')
        batch_op.drop_index('ix_service_record_status_created')
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.drop_index('ix_resident_name_birth_date')
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.drop_column('user_agent')
    with op.batch_alter_table('suspected_duplicate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suspected_duplicate_status'))
        batch_op.drop_index(batch_op.f('ix_suspected_duplicate_second_id'))
        batch_op.drop_index(batch_op.f('ix_suspected_duplicate_first_id'))
    op.drop_table('suspected_duplicate')
