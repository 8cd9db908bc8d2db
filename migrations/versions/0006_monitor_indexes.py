"""exchange indexes that let long monitoring periods count in index order

Revision ID: 0006_monitor_indexes
Revises: 0005_monitoring
Create Date: 2026-12-02 07:00:00

"""
from alembic import op

revision = '0006_monitor_indexes'
down_revision = '0005_monitoring'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exchange', schema=None) as batch_op:
        batch_op.drop_index('ix_exchange_item_id')
        batch_op.create_index('ix_exchange_item_id_sent_at', ['item_id', 'sent_at'], unique=False)
        batch_op.create_index('ix_exchange_pair_sent_at', ['from_kim_id', 'to_kim_id', 'sent_at'], unique=False)
        batch_op.create_index('ix_exchange_to_kim_id_seen_at', ['to_kim_id', 'seen_at', 'seen_seconds'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('exchange', schema=None) as batch_op:
        batch_op.drop_index('ix_exchange_to_kim_id_seen_at')
        batch_op.drop_index('ix_exchange_pair_sent_at')
        batch_op.drop_index('ix_exchange_item_id_sent_at')
        batch_op.create_index('ix_exchange_item_id', ['item_id'], unique=False)
