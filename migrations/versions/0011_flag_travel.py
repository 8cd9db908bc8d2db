"""a flagged item travels only as a warning; the same story arriving again carries the flag

Revision ID: 0011_flag_travel
Revises: 0010_source_error_codes
Create Date: 2026-12-02 10:00:00

exchange.warning_flag_id: the flag an exchange sent as a warning warns of (null: sent as news).
item_flag.origin_id: the flag a copy was carried from (null: raised by a KIM on this item).
Both are new and empty; no data changes.
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_flag_travel'
down_revision = '0010_source_error_codes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('item_flag', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_item_flag_origin_id'), ['origin_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_item_flag_origin_id_item_flag'), 'item_flag', ['origin_id'], ['id'])
    with op.batch_alter_table('exchange', schema=None) as batch_op:
        batch_op.add_column(sa.Column('warning_flag_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_exchange_warning_flag_id_item_flag'), 'item_flag',
                                    ['warning_flag_id'], ['id'])


def downgrade():
    with op.batch_alter_table('exchange', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_exchange_warning_flag_id_item_flag'), type_='foreignkey')
        batch_op.drop_column('warning_flag_id')
    with op.batch_alter_table('item_flag', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_item_flag_origin_id_item_flag'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_item_flag_origin_id'))
        batch_op.drop_column('origin_id')
