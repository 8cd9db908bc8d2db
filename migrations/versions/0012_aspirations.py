"""aspirations: categories, offices, holidays, aspirations and their steps

Revision ID: 0012_aspirations
Revises: 0011_flag_travel
Create Date: 2026-12-02 10:16:47

New tables only (and upload.aspiration_id, empty); the admin-kept category list starts with the
usual ones. Holidays and the offices aspirations go to are entered by the admin.
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_aspirations'
down_revision = '0011_flag_travel'
branch_labels = None
depends_on = None

CATEGORIES = [("infrastruktur", "Infrastruktur (jalan, jembatan, irigasi)"), ("pertanian", "Pertanian dan peternakan"),
              ("kesehatan", "Kesehatan"), ("pendidikan", "Pendidikan"), ("ekonomi", "Ekonomi dan usaha"),
              ("keamanan", "Keamanan dan ketertiban"), ("sosial", "Sosial dan bantuan"), ("lainnya", "Lainnya")]


def upgrade():
    op.create_table('aspiration_category',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_aspiration_category'))
    )
    op.create_table('aspiration_office',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind IN ('dinas', 'nagari')", name=op.f('ck_aspiration_office_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aspiration_office')),
    sa.UniqueConstraint('name', name=op.f('uq_aspiration_office_name'))
    )
    op.create_table('holiday',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_holiday'))
    )
    op.create_table('aspiration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('kim_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('contact_hash', sa.String(length=64), nullable=False),
    sa.Column('ip_hash', sa.String(length=64), nullable=False),
    sa.Column('nagari', sa.String(length=120), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('forward_due', sa.Date(), nullable=False),
    sa.Column('answer_due', sa.Date(), nullable=False),
    sa.Column('forwarded_at', sa.DateTime(), nullable=True),
    sa.Column('forwarded_to_id', sa.Integer(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('submitted', 'verified', 'postponed', 'not_ours', 'archived', 'forwarded', 'answered', 'closed')", name=op.f('ck_aspiration_status')),
    sa.ForeignKeyConstraint(['category'], ['aspiration_category.code'], name=op.f('fk_aspiration_category_aspiration_category')),
    sa.ForeignKeyConstraint(['forwarded_to_id'], ['aspiration_office.id'], name=op.f('fk_aspiration_forwarded_to_id_aspiration_office')),
    sa.ForeignKeyConstraint(['kim_id'], ['kim.id'], name=op.f('fk_aspiration_kim_id_kim')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_aspiration_item_id_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aspiration')),
    sa.UniqueConstraint('code', name=op.f('uq_aspiration_code')),
    sa.UniqueConstraint('item_id', name=op.f('uq_aspiration_item_id'))
    )
    op.bulk_insert(sa.table('aspiration_category', sa.column('code', sa.String), sa.column('label', sa.String),
                            sa.column('active', sa.Boolean)),
                   [{"code": code, "label": label, "active": True} for code, label in CATEGORIES])
    with op.batch_alter_table('aspiration', schema=None) as batch_op:
        batch_op.create_index('ix_aspiration_contact_hash_submitted_at', ['contact_hash', 'submitted_at'], unique=False)
        batch_op.create_index('ix_aspiration_ip_hash_submitted_at', ['ip_hash', 'submitted_at'], unique=False)
        batch_op.create_index('ix_aspiration_kim_id_status_submitted_at', ['kim_id', 'status', 'submitted_at'], unique=False)
        batch_op.create_index('ix_aspiration_submitted_at', ['submitted_at'], unique=False)

    op.create_table('aspiration_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('aspiration_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint("status IN ('submitted', 'verified', 'postponed', 'not_ours', 'archived', 'forwarded', 'answered', 'closed')", name=op.f('ck_aspiration_step_status')),
    sa.ForeignKeyConstraint(['aspiration_id'], ['aspiration.id'], name=op.f('fk_aspiration_step_aspiration_id_aspiration')),
    sa.ForeignKeyConstraint(['by_user_id'], ['user_account.id'], name=op.f('fk_aspiration_step_by_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aspiration_step'))
    )
    with op.batch_alter_table('aspiration_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aspiration_step_aspiration_id'), ['aspiration_id'], unique=False)

    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aspiration_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_upload_aspiration_id'), ['aspiration_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_upload_aspiration_id_aspiration'), 'aspiration', ['aspiration_id'], ['id'])



def downgrade():
    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_upload_aspiration_id_aspiration'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_upload_aspiration_id'))
        batch_op.drop_column('aspiration_id')

    with op.batch_alter_table('aspiration_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aspiration_step_aspiration_id'))

    op.drop_table('aspiration_step')
    with op.batch_alter_table('aspiration', schema=None) as batch_op:
        batch_op.drop_index('ix_aspiration_submitted_at')
        batch_op.drop_index('ix_aspiration_kim_id_status_submitted_at')
        batch_op.drop_index('ix_aspiration_ip_hash_submitted_at')
        batch_op.drop_index('ix_aspiration_contact_hash_submitted_at')

    op.drop_table('aspiration')
    op.drop_table('holiday')
    op.drop_table('aspiration_office')
    op.drop_table('aspiration_category')
