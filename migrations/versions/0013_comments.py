"""comments: discussion of items inside the network

Revision ID: 0013_comments
Revises: 0012_aspirations
Create Date: 2026-12-02 10:37:28

A new, empty table.
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_comments'
down_revision = '0012_aspirations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kim_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user_account.id'], name=op.f('fk_comment_hidden_by_id_user_account')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_comment_item_id_item')),
    sa.ForeignKeyConstraint(['kim_id'], ['kim.id'], name=op.f('fk_comment_kim_id_kim')),
    sa.ForeignKeyConstraint(['parent_id'], ['comment.id'], name=op.f('fk_comment_parent_id_comment')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_comment_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment'))
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index('ix_comment_item_id_created_at', ['item_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_parent_id'), ['parent_id'], unique=False)



def downgrade():
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_parent_id'))
        batch_op.drop_index('ix_comment_item_id_created_at')

    op.drop_table('comment')
