"""A hub with data upgrades to the newest schema without losing any: past reads get their KIM,
waits and first reads are filled in, the rollups hold what the raw rows hold, and API tokens
issued before tokens expired keep working for 90 days."""
from datetime import date, datetime, timedelta

from flask_migrate import upgrade
from sqlalchemy import text

from hub import create_app
from hub.extensions import db
from hub.models import ApiToken, KimDay, KimMonth, utcnow
from hub.monitoring import measures, rollup
from hub.monitoring.period import Period
from tests.conftest import TEST_CONFIG

from .test_migrations import empty_url  # noqa: F401  (fixture)

ROWS = [
    "INSERT INTO kim (id, slug, name, nagari, kecamatan, kabupaten, description, contact, website, feed_url, "
    "post_policy, active, created_at, updated_at) VALUES "
    "(1, 'a', 'KIM A', 'A', 'Guguak', 'Lima Puluh Kota', '', '', '', '', 'anggota', true, :t, :t), "
    "(2, 'b', 'KIM B', 'B', 'Harau', 'Lima Puluh Kota', '', '', '', '', 'anggota', true, :t, :t)",
    "INSERT INTO user_account (id, email, name, password_hash, auth_stamp, active, is_admin, created_at) VALUES "
    "(1, 'a@x.id', 'A', 'x', 's', true, false, :t), (2, 'b@x.id', 'B', 'x', 's', true, false, :t)",
    "INSERT INTO membership (id, user_id, kim_id, role, active, created_at) VALUES "
    "(1, 1, 1, 'pengurus', true, :t), (2, 2, 2, 'anggota', true, :t)",
    "INSERT INTO source (id, url, title, site_url, kind, interval_seconds, next_check_at, redirect_count, "
    "error_count, last_error, created_at) VALUES (1, 'https://x.id/rss', 'X', '', 'media', 1800, :t, 0, 0, "
    "'Server sumber menjawab dengan galat HTTP 502.', :t), (2, 'https://y.id/rss', 'Y', '', 'media', 1800, :t, 0, "
    "3, 'Waktu habis: server sumber tidak menjawab tepat waktu.', :t)",
    "INSERT INTO item (id, source_id, guid, guid_hash, url, title, summary, content, text, author, published_at, "
    "fetched_at, updated_at, content_hash, enclosures) VALUES "
    "(1, 1, 'g', 'h', 'https://x.id/1', 'Satu', '', '', '', '', :t, :t, :t, 'c', '[]')",
    "INSERT INTO read_state (user_id, item_id, read_at) VALUES (2, 1, :t)",
    "INSERT INTO exchange (id, item_id, from_kim_id, to_kim_id, by_user_id, note, status, sent_at, seen_at, "
    "decline_reason) VALUES (1, 1, 1, 2, 1, '', 'seen', :t, :seen, '')",
    "INSERT INTO event (occurred_at, actor_id, kim_id, verb, object_type, object_id, activity, data) VALUES "
    "(:t, 1, 1, 'exchange.sent', 'exchange', 1, 'networking', '{\"to_kim_id\": 2}'), "
    "(:seen, 2, 2, 'exchange.seen', 'exchange', 1, 'networking', '{}'), "
    "(:seen, 2, NULL, 'item.read', 'item', 1, 'akses', '{}')",
    "INSERT INTO dissemination (item_id, kim_id, user_id, channel, audience, note, created_at) VALUES "
    "(1, 2, 2, 'radio', 300, '', :seen)",
    "INSERT INTO api_token (id, user_id, name, token_hash, prefix, created_at) VALUES "
    "(1, 1, 'Skrip', 'abc', 'kim_abc', :t)",
]


def test_a_hub_with_data_upgrades(empty_url, tmp_path):  # noqa: F811
    app = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=empty_url), instance_path=tmp_path / "i")
    sent = datetime(2026, 11, 10, 1, 0)
    seen = datetime(2026, 11, 10, 4, 30)  # three and a half hours later
    with app.app_context():
        upgrade(revision="0004_posts")
        with db.engine.begin() as conn:
            for statement in ROWS:
                conn.execute(text(statement), {"t": sent, "seen": seen})
        upgrade()
        assert db.session.execute(text("SELECT kim_id FROM event WHERE verb = 'item.read'")).scalar() == 2
        assert db.session.execute(text("SELECT seen_seconds FROM exchange")).scalar() == 3.5 * 3600
        assert db.session.execute(text("SELECT first_read_at FROM read_state")).scalar() is not None
        november = Period(date(2026, 11, 1), date(2026, 11, 30), "Asia/Jakarta")
        kept = rollup.counts(None, november.start, november.end)
        assert kept == rollup.raw_counts(None, november)
        assert kept[1]["shares_sent"] == 1 and kept[2]["shares_received"] == 1 and kept[2]["reads"] == 1
        assert kept[2]["dis_radio"] == 1 and kept[2]["audience"] == 300
        assert measures.members_active([1, 2], november) == measures.members_active_raw([1, 2], november) \
            == {1: 1, 2: 1}
        days = db.session.scalars(db.select(KimDay.day)).all()
        assert set(days) == {date(2026, 11, 10)}
        assert db.session.scalar(db.select(KimMonth.month)) == date(2026, 11, 1)
        # stored sentences become codes, shown in the reader's language
        errors = db.session.execute(text("SELECT last_error_code, last_error_detail FROM source ORDER BY id")).all()
        assert [tuple(e) for e in errors] == [("http", "502"), ("timeout", None)]
        # a token issued before tokens expired gets 90 days from the upgrade, not none at all
        token = db.session.scalar(db.select(ApiToken))
        assert token.name == "Skrip" and token.expires_at - utcnow() > timedelta(days=89)
        # every KIM starts at publication version 1, changed at the upgrade: followers refetch once
        versions = db.session.execute(text("SELECT feed_version, feed_changed_at FROM kim ORDER BY id")).all()
        assert [v for v, _at in versions] == [1, 1] and all(at is not None for _v, at in versions)
        db.session.remove()
        db.engine.dispose()
