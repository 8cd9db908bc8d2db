"""exchanges

Revision ID: 0003_exchanges
Revises: 0002_reading
Create Date: 2026-11-27 23:36:29.904277

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_exchanges'
down_revision = '0002_reading'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exchange',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('from_kim_id', sa.Integer(), nullable=False),
    sa.Column('to_kim_id', sa.Integer(), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=True),
    sa.Column('passed_on_at', sa.DateTime(), nullable=True),
    sa.Column('declined_at', sa.DateTime(), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('acted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('sent', 'seen', 'passed_on', 'declined')", name=op.f('ck_exchange_status')),
    sa.CheckConstraint('from_kim_id <> to_kim_id', name=op.f('ck_exchange_not_to_self')),
    sa.ForeignKeyConstraint(['acted_by_id'], ['user_account.id'], name=op.f('fk_exchange_acted_by_id_user_account')),
    sa.ForeignKeyConstraint(['by_user_id'], ['user_account.id'], name=op.f('fk_exchange_by_user_id_user_account')),
    sa.ForeignKeyConstraint(['from_kim_id'], ['kim.id'], name=op.f('fk_exchange_from_kim_id_kim')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_exchange_item_id_item')),
    sa.ForeignKeyConstraint(['parent_id'], ['exchange.id'], name=op.f('fk_exchange_parent_id_exchange')),
    sa.ForeignKeyConstraint(['to_kim_id'], ['kim.id'], name=op.f('fk_exchange_to_kim_id_kim')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange')),
    sa.UniqueConstraint('item_id', 'to_kim_id', name=op.f('uq_exchange_item_id_to_kim_id'))
    )
    with op.batch_alter_table('exchange', schema=None) as batch_op:
        batch_op.create_index('ix_exchange_from_kim_id_sent_at', ['from_kim_id', 'sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index('ix_exchange_to_kim_id_sent_at', ['to_kim_id', 'sent_at'], unique=False)



    # a KIM's own posts are read newest first; this replaces the plain kim_id index
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_index('ix_item_kim_id')
        batch_op.create_index('ix_item_kim_id_published_at_id', ['kim_id', 'published_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_index('ix_item_kim_id_published_at_id')
        batch_op.create_index('ix_item_kim_id', ['kim_id'], unique=False)

    with op.batch_alter_table('exchange', schema=None) as batch_op:
        batch_op.drop_index('ix_exchange_to_kim_id_sent_at')
        batch_op.drop_index(batch_op.f('ix_exchange_parent_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_item_id'))
        batch_op.drop_index('ix_exchange_from_kim_id_sent_at')

    op.drop_table('exchange')
