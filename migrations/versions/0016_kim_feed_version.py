"""a KIM's publication version: its feeds' validators without reading what they hold

Revision ID: 0016_kim_feed_version
Revises: 0015_item_raw_hash
Create Date: 2026-12-03 18:10:00

Every change that reaches a KIM's feeds (a post published or edited, an item disseminated, a flag
raised or withdrawn, an item edited at its source) counts the KIM's feed_version up and sets
feed_changed_at, so a conditional GET is answered from the KIM's row alone. A hub upgraded with
published items starts at version 1, changed now: each follower gets the feed once more.
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = '0016_kim_feed_version'
down_revision = '0015_item_raw_hash'
branch_labels = None
depends_on = None


def upgrade():
    # plain ALTER TABLE (SQLite adds and, since 3.35, drops a column in place): no copy of a table
    # that so many others refer to
    op.add_column('kim', sa.Column('feed_version', sa.Integer(), server_default='0', nullable=False))
    op.add_column('kim', sa.Column('feed_changed_at', sa.DateTime(), nullable=True))
    kim = sa.table('kim', sa.column('feed_version', sa.Integer), sa.column('feed_changed_at', sa.DateTime))
    # naive UTC, as the hub stores every time (the database's own clock may keep another zone)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.execute(kim.update().values(feed_version=1, feed_changed_at=now))


def downgrade():
    op.execute("ALTER TABLE kim DROP COLUMN feed_changed_at")
    op.execute("ALTER TABLE kim DROP COLUMN feed_version")
