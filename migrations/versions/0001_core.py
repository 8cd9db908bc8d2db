"""core model: kim, accounts, source, subscription, item, event

Revision ID: 0001_core
Revises: 
Create Date: 2026-11-27 22:13:57.282758

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001_core'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('nagari', sa.String(length=120), nullable=False),
    sa.Column('kecamatan', sa.String(length=120), nullable=False),
    sa.Column('kabupaten', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('contact', sa.String(length=255), nullable=False),
    sa.Column('website', sa.String(length=512), nullable=False),
    sa.Column('feed_url', sa.String(length=2048), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kim')),
    sa.UniqueConstraint('slug', name=op.f('uq_kim_slug'))
    )
    with op.batch_alter_table('kim', schema=None) as batch_op:
        batch_op.create_index('ix_kim_kabupaten_kecamatan_name', ['kabupaten', 'kecamatan', 'name'], unique=False)

    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index('ix_login_failure_email_at', ['email', 'at'], unique=False)
        batch_op.create_index('ix_login_failure_ip_at', ['ip', 'at'], unique=False)

    op.create_table('source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2048), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('site_url', sa.String(length=2048), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('etag', sa.String(length=512), nullable=True),
    sa.Column('last_modified', sa.String(length=128), nullable=True),
    sa.Column('interval_seconds', sa.Integer(), nullable=False),
    sa.Column('next_check_at', sa.DateTime(), nullable=False),
    sa.Column('lease_until', sa.DateTime(), nullable=True),
    sa.Column('redirect_url', sa.String(length=2048), nullable=True),
    sa.Column('redirect_count', sa.Integer(), nullable=False),
    sa.Column('last_checked_at', sa.DateTime(), nullable=True),
    sa.Column('last_success_at', sa.DateTime(), nullable=True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('stopped_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('pemerintah', 'media', 'kim', 'lainnya')", name=op.f('ck_source_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source')),
    sa.UniqueConstraint('url', name=op.f('uq_source_url'))
    )
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.create_index('ix_source_next_check_at', ['next_check_at'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('auth_stamp', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_api_token_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)

    op.create_table('coordinator_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kabupaten', sa.String(length=120), nullable=False),
    sa.Column('kecamatan', sa.String(length=120), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_coordinator_role_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coordinator_role'))
    )
    with op.batch_alter_table('coordinator_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coordinator_role_user_id'), ['user_id'], unique=False)

    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kim_id', sa.Integer(), nullable=True),
    sa.Column('verb', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=True),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('activity', sa.String(length=16), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.CheckConstraint("activity IS NULL OR activity IN ('akses', 'diskusi', 'implementasi', 'networking', 'diseminasi', 'aspirasi')", name=op.f('ck_event_activity')),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['kim_id'], ['kim.id'], name=op.f('fk_event_kim_id_kim')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index('ix_event_activity_occurred_at', ['activity', 'occurred_at'], unique=False)
        batch_op.create_index('ix_event_kim_id_occurred_at', ['kim_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_event_occurred_at', ['occurred_at'], unique=False)

    op.create_table('item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('kim_id', sa.Integer(), nullable=True),
    sa.Column('guid', sa.String(length=2048), nullable=False),
    sa.Column('guid_hash', sa.String(length=64), nullable=False),
    sa.Column('url', sa.String(length=2048), nullable=False),
    sa.Column('title', sa.String(length=1000), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=255), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('enclosures', sa.JSON(), nullable=False),
    sa.CheckConstraint('source_id IS NOT NULL OR kim_id IS NOT NULL', name=op.f('ck_item_origin')),
    sa.ForeignKeyConstraint(['kim_id'], ['kim.id'], name=op.f('fk_item_kim_id_kim')),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_item_source_id_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item')),
    sa.UniqueConstraint('source_id', 'guid_hash', name=op.f('uq_item_source_id_guid_hash'))
    )
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_kim_id'), ['kim_id'], unique=False)
        batch_op.create_index('ix_item_published_at_id', ['published_at', 'id'], unique=False)
        batch_op.create_index('ix_item_source_id_published_at_id', ['source_id', 'published_at', 'id'], unique=False)

    op.create_table('membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kim_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('anggota', 'pengurus')", name=op.f('ck_membership_role')),
    sa.ForeignKeyConstraint(['kim_id'], ['kim.id'], name=op.f('fk_membership_kim_id_kim')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_membership_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership')),
    sa.UniqueConstraint('user_id', 'kim_id', name=op.f('uq_membership_user_id_kim_id'))
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_kim_id'), ['kim_id'], unique=False)

    op.create_table('subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kim_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('bidang', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_subscription_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['kim_id'], ['kim.id'], name=op.f('fk_subscription_kim_id_kim')),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_subscription_source_id_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription')),
    sa.UniqueConstraint('kim_id', 'source_id', name=op.f('uq_subscription_kim_id_source_id'))
    )
    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscription_source_id'), ['source_id'], unique=False)



def downgrade():
    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscription_source_id'))

    op.drop_table('subscription')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_kim_id'))

    op.drop_table('membership')
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_index('ix_item_source_id_published_at_id')
        batch_op.drop_index('ix_item_published_at_id')
        batch_op.drop_index(batch_op.f('ix_item_kim_id'))

    op.drop_table('item')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_occurred_at')
        batch_op.drop_index('ix_event_kim_id_occurred_at')
        batch_op.drop_index('ix_event_activity_occurred_at')

    op.drop_table('event')
    with op.batch_alter_table('coordinator_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coordinator_role_user_id'))

    op.drop_table('coordinator_role')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))

    op.drop_table('api_token')
    op.drop_table('user_account')
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_index('ix_source_next_check_at')

    op.drop_table('source')
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failure_ip_at')
        batch_op.drop_index('ix_login_failure_email_at')

    op.drop_table('login_failure')
    with op.batch_alter_table('kim', schema=None) as batch_op:
        batch_op.drop_index('ix_kim_kabupaten_kecamatan_name')

    op.drop_table('kim')
