"""monitoring: implementasi activities, hub settings, exchanges from a coordinator's office,
reads attributed to a KIM

Revision ID: 0005_monitoring
Revises: 0004_posts
Create Date: 2026-12-02 03:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0005_monitoring'
down_revision = '0004_posts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kim_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('adinda', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('resource_person', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("adinda IN ('akses', 'diskusi', 'implementasi', 'networking', 'diseminasi', 'aspirasi')",
                       name=op.f('ck_activity_adinda')),
    sa.CheckConstraint('participants >= 0', name=op.f('ck_activity_participants')),
    sa.ForeignKeyConstraint(['kim_id'], ['kim.id'], name=op.f('fk_activity_kim_id_kim')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_activity_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_kim_id_held_on', ['kim_id', 'held_on'], unique=False)

    op.create_table('activity_item',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_activity_item_activity_id_activity'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_activity_item_item_id_item')),
    sa.PrimaryKeyConstraint('activity_id', 'item_id', name=op.f('pk_activity_item'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.add_column(sa.Column('activity_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_upload_activity_id'), ['activity_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_upload_activity_id_activity'), 'activity', ['activity_id'], ['id'])

    with op.batch_alter_table('exchange', schema=None) as batch_op:
        batch_op.add_column(sa.Column('from_office', sa.String(length=160), nullable=True))
        batch_op.alter_column('from_kim_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint('sender', 'from_kim_id IS NOT NULL OR from_office IS NOT NULL')

    # "did this member act for this KIM in the period": one index seek per member
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index('ix_event_kim_id_actor_id_occurred_at', ['kim_id', 'actor_id', 'occurred_at'],
                              unique=False)
    # who shares with whom in a period, and the most shared items, from the index alone
    with op.batch_alter_table('exchange', schema=None) as batch_op:
        batch_op.drop_index('ix_exchange_from_kim_id_sent_at')
        batch_op.create_index('ix_exchange_from_kim_id_sent_at', ['from_kim_id', 'sent_at', 'to_kim_id'], unique=False)
        batch_op.create_index('ix_exchange_sent_at_pair', ['sent_at', 'from_kim_id', 'to_kim_id', 'item_id'],
                              unique=False)
        batch_op.add_column(sa.Column('seen_seconds', sa.Integer(), nullable=True))
        batch_op.create_index('ix_exchange_seen_at_to_kim_id', ['seen_at', 'to_kim_id', 'seen_seconds'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE exchange SET seen_seconds = round(extract(epoch FROM seen_at - sent_at)) "
                   "WHERE seen_at IS NOT NULL")
    else:
        op.execute("UPDATE exchange SET seen_seconds = CAST(round((julianday(seen_at) - julianday(sent_at)) * 86400) "
                   "AS INTEGER) WHERE seen_at IS NOT NULL")

    # a read counts once per person and item, ever: the first time is kept
    with op.batch_alter_table('read_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_read_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE read_state SET first_read_at = read_at WHERE read_at IS NOT NULL")

    # Reads were logged without a KIM; attribute each to the reader's first KIM (the one the
    # timeline opens on), so the dashboard counts the hub's past reads too.
    op.execute(
        "UPDATE event SET kim_id = (SELECT m.kim_id FROM membership m WHERE m.user_id = event.actor_id "
        "ORDER BY m.active DESC, m.id LIMIT 1) WHERE verb = 'item.read' AND kim_id IS NULL")

    op.create_table('kim_day',
    sa.Column('kim_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    *[sa.Column(name, sa.Integer(), server_default='0', nullable=False) for name in _ROLLUP],
    sa.ForeignKeyConstraint(['kim_id'], ['kim.id'], name=op.f('fk_kim_day_kim_id_kim')),
    sa.PrimaryKeyConstraint('kim_id', 'day', name=op.f('pk_kim_day'))
    )
    with op.batch_alter_table('kim_day', schema=None) as batch_op:
        batch_op.create_index('ix_kim_day_day', ['day'], unique=False)
    op.create_table('kim_month',
    sa.Column('kim_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    *[sa.Column(name, sa.Integer(), server_default='0', nullable=False) for name in _ROLLUP],
    sa.ForeignKeyConstraint(['kim_id'], ['kim.id'], name=op.f('fk_kim_month_kim_id_kim')),
    sa.PrimaryKeyConstraint('kim_id', 'month', name=op.f('pk_kim_month'))
    )
    for name, key in (('member_day', 'day'), ('member_month', 'month')):
        op.create_table(name,
        sa.Column('kim_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column(key, sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['kim_id'], ['kim.id'], name=op.f(f'fk_{name}_kim_id_kim')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f(f'fk_{name}_user_id_user_account')),
        sa.PrimaryKeyConstraint('kim_id', 'user_id', key, name=op.f(f'pk_{name}'))
        )
    op.create_table('hub_day',
    sa.Column('day', sa.Date(), nullable=False),
    *[sa.Column(name, sa.Integer(), server_default='0', nullable=False) for name in _ADINDA],
    sa.PrimaryKeyConstraint('day', name=op.f('pk_hub_day'))
    )
    _rebuild_rollup()


_ADINDA = ('akses', 'diskusi', 'implementasi', 'networking', 'diseminasi', 'aspirasi')
_CHANNELS = ('whatsapp', 'papan', 'pertemuan', 'radio', 'website', 'lainnya')
_ROLLUP = _ADINDA + ('reads', 'posts', 'shares_sent', 'shares_received', 'passed_on', 'declined', 'checks',
                     'flags') + tuple(f'dis_{c}' for c in _CHANNELS) + ('audience',)


def _rebuild_rollup():
    """The daily rollup of what the hub holds so far, by local day in the hub's time zone (what
    hub.monitoring.rollup.rebuild does, frozen here as SQL)."""
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from flask import current_app
    tz = current_app.config.get("HUB_TIMEZONE", "Asia/Jakarta")
    minutes = int(datetime.now(timezone.utc).astimezone(ZoneInfo(tz)).utcoffset().total_seconds() // 60)

    def day(column):
        if op.get_bind().dialect.name == "postgresql":
            return f"CAST({column} + interval '{minutes} minutes' AS DATE)"
        return f"date({column}, '{minutes:+d} minutes')"

    def part(table, kim, at, where, values):
        columns = ", ".join(f"{values.get(c, '0')} AS {c}" for c in _ROLLUP)
        return f"SELECT {kim} AS kim_id, {day(at)} AS day, {columns} FROM {table} WHERE {where}"
    parts = [
        part("event", "kim_id", "occurred_at", "kim_id IS NOT NULL AND activity IS NOT NULL",
             {**{a: f"CASE WHEN activity = '{a}' THEN 1 ELSE 0 END" for a in _ADINDA},
              "reads": "CASE WHEN verb = 'item.read' THEN 1 ELSE 0 END"}),
        part("post", "kim_id", "published_at", "status = 'published' AND published_at IS NOT NULL", {"posts": "1"}),
        part("exchange", "from_kim_id", "sent_at", "from_kim_id IS NOT NULL", {"shares_sent": "1"}),
        part("exchange", "to_kim_id", "sent_at", "1 = 1", {"shares_received": "1"}),
        part("exchange", "to_kim_id", "passed_on_at", "passed_on_at IS NOT NULL", {"passed_on": "1"}),
        part("exchange", "to_kim_id", "declined_at", "declined_at IS NOT NULL", {"declined": "1"}),
        part("item_check", "kim_id", "created_at", "1 = 1", {"checks": "1"}),
        part("item_flag", "kim_id", "created_at", "1 = 1", {"flags": "1"}),
        part("dissemination", "kim_id", "created_at", "1 = 1",
             {**{f"dis_{c}": f"CASE WHEN channel = '{c}' THEN 1 ELSE 0 END" for c in _CHANNELS},
              "audience": "audience"}),
    ]
    sums = ", ".join(f"SUM({c})" for c in _ROLLUP)
    op.execute(f"INSERT INTO kim_day (kim_id, day, {', '.join(_ROLLUP)}) SELECT kim_id, day, {sums} "
               f"FROM ({' UNION ALL '.join(parts)}) AS raw GROUP BY kim_id, day")
    month = ("CAST(date_trunc('month', day) AS DATE)" if op.get_bind().dialect.name == "postgresql"
             else "date(day, 'start of month')")
    op.execute(f"INSERT INTO kim_month (kim_id, month, {', '.join(_ROLLUP)}) SELECT kim_id, {month}, {sums} "
               f"FROM kim_day GROUP BY kim_id, {month}")
    op.execute(f"INSERT INTO member_day (kim_id, user_id, day) SELECT DISTINCT kim_id, actor_id, {day('occurred_at')} "
               "FROM event WHERE kim_id IS NOT NULL AND actor_id IS NOT NULL")
    op.execute(f"INSERT INTO member_month (kim_id, user_id, month) SELECT DISTINCT kim_id, user_id, {month} "
               "FROM member_day")
    op.execute(f"INSERT INTO hub_day (day, {', '.join(_ADINDA)}) SELECT day, "
               f"{', '.join(f'SUM({a})' for a in _ADINDA)} FROM kim_day GROUP BY day")


def downgrade():
    op.drop_table('hub_day')
    op.drop_table('member_month')
    op.drop_table('member_day')
    op.drop_table('kim_month')
    with op.batch_alter_table('kim_day', schema=None) as batch_op:
        batch_op.drop_index('ix_kim_day_day')
    op.drop_table('kim_day')
    with op.batch_alter_table('read_state', schema=None) as batch_op:
        batch_op.drop_column('first_read_at')
    with op.batch_alter_table('exchange', schema=None) as batch_op:
        batch_op.drop_index('ix_exchange_seen_at_to_kim_id')
        batch_op.drop_column('seen_seconds')
        batch_op.drop_index('ix_exchange_sent_at_pair')
        batch_op.drop_index('ix_exchange_from_kim_id_sent_at')
        batch_op.create_index('ix_exchange_from_kim_id_sent_at', ['from_kim_id', 'sent_at'], unique=False)
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_kim_id_actor_id_occurred_at')
    # exchanges sent by an office cannot exist without a sending KIM
    op.execute("UPDATE exchange SET parent_id = NULL WHERE parent_id IN "
               "(SELECT id FROM (SELECT id FROM exchange WHERE from_kim_id IS NULL) AS office)")
    op.execute("DELETE FROM exchange WHERE from_kim_id IS NULL")
    with op.batch_alter_table('exchange', schema=None) as batch_op:
        batch_op.drop_constraint('sender', type_='check')
        batch_op.alter_column('from_kim_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('from_office')
    with op.batch_alter_table('upload', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_upload_activity_id_activity'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_upload_activity_id'))
        batch_op.drop_column('activity_id')
    op.drop_table('setting')
    op.drop_table('activity_item')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_kim_id_held_on')
    op.drop_table('activity')
