"""reading: read state and bookmarks, item plain text, full-text search

Revision ID: 0002_reading
Revises: 0001_core
Create Date: 2026-11-27

SQLite gets an FTS5 table over item(title, text) kept in step by triggers; PostgreSQL a stored
generated tsvector column with a GIN index. Both use no stemming ('simple' / unicode61), so that
the two databases rank and match alike; both fold case and (SQLite) diacritics.
"""
import re
from html import unescape

import sqlalchemy as sa
from alembic import op

revision = '0002_reading'
down_revision = '0001_core'
branch_labels = None
depends_on = None

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")

# The FTS5 table also indexes a token for the item's source ('s42'), so that a search within a
# KIM intersects the word's list with the KIM's sources inside FTS5, instead of visiting every
# item in the hub that has a common word.
# New items are indexed in batches by hub.reading.search.index_pending() (three times cheaper
# than a row trigger); item_fts_watermark holds the last id indexed. Updates and deletes of
# indexed rows are followed by triggers.
SQLITE_UP = [
    "CREATE VIEW item_fts_source AS SELECT id, title, text, 's' || source_id AS src FROM item",
    "CREATE VIRTUAL TABLE item_fts USING fts5(title, text, src, content='item_fts_source', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TABLE item_fts_watermark (last_id INTEGER NOT NULL)",
    "INSERT INTO item_fts(item_fts) VALUES ('rebuild')",
    "INSERT INTO item_fts_watermark (last_id) SELECT coalesce(max(id), 0) FROM item",
    "CREATE TRIGGER item_fts_ad AFTER DELETE ON item "
    "WHEN old.id <= (SELECT last_id FROM item_fts_watermark) BEGIN "
    "INSERT INTO item_fts(item_fts, rowid, title, text, src) "
    "VALUES ('delete', old.id, old.title, old.text, 's' || old.source_id); END",
    "CREATE TRIGGER item_fts_au AFTER UPDATE OF title, text, source_id ON item "
    "WHEN old.id <= (SELECT last_id FROM item_fts_watermark) BEGIN "
    "INSERT INTO item_fts(item_fts, rowid, title, text, src) "
    "VALUES ('delete', old.id, old.title, old.text, 's' || old.source_id); "
    "INSERT INTO item_fts(rowid, title, text, src) VALUES (new.id, new.title, new.text, 's' || new.source_id); END",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS item_fts_au", "DROP TRIGGER IF EXISTS item_fts_ad",
               "DROP TABLE IF EXISTS item_fts", "DROP TABLE IF EXISTS item_fts_watermark",
               "DROP VIEW IF EXISTS item_fts_source"]
POSTGRES_UP = [
    "ALTER TABLE item ADD COLUMN search tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(text, '')), 'B')) STORED",
    "CREATE INDEX ix_item_search ON item USING gin (search)",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_item_search", "ALTER TABLE item DROP COLUMN IF EXISTS search"]


def _plain(html):
    return _SPACE.sub(" ", unescape(_TAG.sub(" ", html or ""))).strip()[:10000]


def upgrade():
    op.create_table('read_state',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('starred_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_read_state_item_id_item')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_read_state_user_id_user_account')),
    sa.PrimaryKeyConstraint('user_id', 'item_id', name=op.f('pk_read_state'))
    )
    with op.batch_alter_table('read_state', schema=None) as batch_op:
        batch_op.create_index('ix_read_state_item_id', ['item_id'], unique=False)
        batch_op.create_index('ix_read_state_user_id_starred_at', ['user_id', 'starred_at'], unique=False)

    op.add_column('item', sa.Column('text', sa.Text(), server_default='', nullable=False))

    # existing items get their plain text (nothing is lost: content stays as it was)
    bind = op.get_bind()
    item = sa.table('item', sa.column('id', sa.Integer), sa.column('content', sa.Text), sa.column('text', sa.Text))
    last = 0
    while True:
        rows = bind.execute(sa.select(item.c.id, item.c.content).where(item.c.id > last)
                            .order_by(item.c.id).limit(1000)).all()
        if not rows:
            break
        bind.execute(sa.update(item).where(item.c.id == sa.bindparam('b_id')).values(text=sa.bindparam('b_text')),
                     [{'b_id': r.id, 'b_text': _plain(r.content)} for r in rows])
        last = rows[-1].id

    for statement in (SQLITE_UP if bind.dialect.name == 'sqlite' else POSTGRES_UP):
        op.execute(statement)


def downgrade():
    bind = op.get_bind()
    for statement in (SQLITE_DOWN if bind.dialect.name == 'sqlite' else POSTGRES_DOWN):
        op.execute(statement)
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_column('text')
    with op.batch_alter_table('read_state', schema=None) as batch_op:
        batch_op.drop_index('ix_read_state_user_id_starred_at')
        batch_op.drop_index('ix_read_state_item_id')
    op.drop_table('read_state')
