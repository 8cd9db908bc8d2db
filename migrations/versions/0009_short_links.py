"""short links with random codes, for items a KIM stands behind

Revision ID: 0009_short_links
Revises: 0008_login_throttle
Create Date: 2026-12-02 08:30:00

The old links counted up in base 36 (/s/1z); they stop working: their codes let anyone list
every item.
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_short_links'
down_revision = '0008_login_throttle'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('short_link',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_short_link_item_id_item')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_short_link')),
    sa.UniqueConstraint('item_id', name=op.f('uq_short_link_item_id'))
    )


def downgrade():
    op.drop_table('short_link')
