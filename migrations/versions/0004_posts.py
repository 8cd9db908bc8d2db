"""posts, checks, flags, disseminations

Revision ID: 0004_posts
Revises: 0003_exchanges
Create Date: 2026-11-28 00:29:44.137273

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_posts'
down_revision = '0003_exchanges'
branch_labels = None
depends_on = None


def upgrade():
    _fts(_NEW_SRC, _OLD_SRC)

    op.create_table('dissemination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kim_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('audience', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("channel IN ('whatsapp', 'papan', 'pertemuan', 'radio', 'website', 'lainnya')", name=op.f('ck_dissemination_channel')),
    sa.CheckConstraint('audience >= 0', name=op.f('ck_dissemination_audience')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_dissemination_item_id_item')),
    sa.ForeignKeyConstraint(['kim_id'], ['kim.id'], name=op.f('fk_dissemination_kim_id_kim')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_dissemination_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dissemination'))
    )
    with op.batch_alter_table('dissemination', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dissemination_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_dissemination_kim_id_created_at', ['kim_id', 'created_at'], unique=False)
        batch_op.create_index('ix_dissemination_created_at', ['created_at'], unique=False)

    op.create_table('item_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kim_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('links', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_item_check_item_id_item')),
    sa.ForeignKeyConstraint(['kim_id'], ['kim.id'], name=op.f('fk_item_check_kim_id_kim')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_item_check_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_check'))
    )
    with op.batch_alter_table('item_check', schema=None) as batch_op:
        batch_op.create_index('ix_item_check_item_id_kim_id', ['item_id', 'kim_id'], unique=False)

    op.create_table('item_flag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kim_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('hoaks', 'misleading')", name=op.f('ck_item_flag_kind')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_item_flag_item_id_item')),
    sa.ForeignKeyConstraint(['kim_id'], ['kim.id'], name=op.f('fk_item_flag_kim_id_kim')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_item_flag_user_id_user_account')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user_account.id'], name=op.f('fk_item_flag_withdrawn_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_flag'))
    )
    with op.batch_alter_table('item_flag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_flag_item_id'), ['item_id'], unique=False)

    op.create_table('post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kim_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('bidang', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'published')", name=op.f('ck_post_status')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_post_author_id_user_account')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_post_item_id_item')),
    sa.ForeignKeyConstraint(['kim_id'], ['kim.id'], name=op.f('fk_post_kim_id_kim')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post')),
    sa.UniqueConstraint('item_id', name=op.f('uq_post_item_id'))
    )
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.create_index('ix_post_kim_id_status_updated_at', ['kim_id', 'status', 'updated_at'], unique=False)
        batch_op.create_index('ix_post_kim_id_published_at', ['kim_id', 'published_at'], unique=False)
        batch_op.create_index('ix_post_published_at', ['published_at'], unique=False)

    op.create_table('flag_warning',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('flag_id', sa.Integer(), nullable=False),
    sa.Column('kim_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['flag_id'], ['item_flag.id'], name=op.f('fk_flag_warning_flag_id_item_flag')),
    sa.ForeignKeyConstraint(['kim_id'], ['kim.id'], name=op.f('fk_flag_warning_kim_id_kim')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flag_warning')),
    sa.UniqueConstraint('flag_id', 'kim_id', name=op.f('uq_flag_warning_flag_id_kim_id'))
    )
    with op.batch_alter_table('flag_warning', schema=None) as batch_op:
        batch_op.create_index('ix_flag_warning_kim_id_created_at', ['kim_id', 'created_at'], unique=False)

    op.create_table('upload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kim_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('alt', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['kim_id'], ['kim.id'], name=op.f('fk_upload_kim_id_kim')),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_upload_post_id_post')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_upload_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_upload')),
    sa.UniqueConstraint('name', name=op.f('uq_upload_name'))
    )
    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_upload_post_id'), ['post_id'], unique=False)

    with op.batch_alter_table('kim', schema=None) as batch_op:
        batch_op.add_column(sa.Column('post_policy', sa.String(length=16), server_default='anggota', nullable=False))




def downgrade():
    _fts(_OLD_SRC, _NEW_SRC)

    with op.batch_alter_table('kim', schema=None) as batch_op:
        batch_op.drop_column('post_policy')

    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_upload_post_id'))

    op.drop_table('upload')
    with op.batch_alter_table('flag_warning', schema=None) as batch_op:
        batch_op.drop_index('ix_flag_warning_kim_id_created_at')

    op.drop_table('flag_warning')
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_index('ix_post_published_at')
        batch_op.drop_index('ix_post_kim_id_published_at')
        batch_op.drop_index('ix_post_kim_id_status_updated_at')

    op.drop_table('post')
    with op.batch_alter_table('item_flag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_flag_item_id'))

    op.drop_table('item_flag')
    with op.batch_alter_table('item_check', schema=None) as batch_op:
        batch_op.drop_index('ix_item_check_item_id_kim_id')

    op.drop_table('item_check')
    with op.batch_alter_table('dissemination', schema=None) as batch_op:
        batch_op.drop_index('ix_dissemination_created_at')
        batch_op.drop_index('ix_dissemination_kim_id_created_at')
        batch_op.drop_index(batch_op.f('ix_dissemination_item_id'))

    op.drop_table('dissemination')



# Posts have no source: the SQLite search index gives them the origin token 'k<kim id>' (items
# of a source keep 's<source id>'), so a KIM's search finds its own posts (see migration 0002).
_OLD_SRC, _NEW_SRC = "'s' || {row}.source_id", "coalesce('s' || {row}.source_id, 'k' || {row}.kim_id)"


def _fts_statements(src, was):
    item, old, new = (src.format(row=r) for r in ("item", "old", "new"))
    before = was.format(row="item")
    return [
        "DROP TRIGGER IF EXISTS item_fts_au", "DROP TRIGGER IF EXISTS item_fts_ad", "DROP VIEW IF EXISTS item_fts_source",
        f"CREATE VIEW item_fts_source AS SELECT id, title, text, {item} AS src FROM item",
        "CREATE TRIGGER item_fts_ad AFTER DELETE ON item "
        "WHEN old.id <= (SELECT last_id FROM item_fts_watermark) BEGIN "
        "INSERT INTO item_fts(item_fts, rowid, title, text, src) "
        f"VALUES ('delete', old.id, old.title, old.text, {old}); END",
        "CREATE TRIGGER item_fts_au AFTER UPDATE OF title, text, source_id, kim_id ON item "
        "WHEN old.id <= (SELECT last_id FROM item_fts_watermark) BEGIN "
        "INSERT INTO item_fts(item_fts, rowid, title, text, src) "
        f"VALUES ('delete', old.id, old.title, old.text, {old}); "
        f"INSERT INTO item_fts(rowid, title, text, src) VALUES (new.id, new.title, new.text, {new}); END",
        # rows without a source already indexed get their new token (a rebuild would cost minutes
        # on a large hub; only these rows change)
        "INSERT INTO item_fts(item_fts, rowid, title, text, src) "
        f"SELECT 'delete', id, title, text, {before} FROM item "
        "WHERE source_id IS NULL AND id <= (SELECT last_id FROM item_fts_watermark)",
        f"INSERT INTO item_fts(rowid, title, text, src) SELECT id, title, text, {item} FROM item "
        "WHERE source_id IS NULL AND id <= (SELECT last_id FROM item_fts_watermark)",
    ]


def _fts(src, was):
    if op.get_bind().dialect.name == "sqlite":
        for statement in _fts_statements(src, was):
            op.execute(statement)
