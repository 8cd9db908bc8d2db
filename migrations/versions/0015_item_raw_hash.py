"""an item remembers the hash of the entry it was cleaned from

Revision ID: 0015_item_raw_hash
Revises: 0014_notifications
Create Date: 2026-12-02 13:30:00

A refresh skips, before cleaning, the entries whose raw form is what was stored last time. Items
stored before this have none: the next refresh cleans them once more and fills it in.
"""
import sqlalchemy as sa
from alembic import op

revision = '0015_item_raw_hash'
down_revision = '0014_notifications'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch copy of the table: SQLite's search index reads the item table
# through a view, which a copied-and-renamed table would break (SQLite adds and, since 3.35,
# drops a column in place).


def upgrade():
    op.add_column('item', sa.Column('raw_hash', sa.String(length=64), nullable=True))


def downgrade():
    op.execute("ALTER TABLE item DROP COLUMN raw_hash")
