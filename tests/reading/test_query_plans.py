"""Query plans that do not depend on luck (issue 10): on PostgreSQL with no statistics at all
(a fresh database, autovacuum kept off, nothing analyzed), the main pages' queries must still be
driven by indexes. Every statement the pages run is EXPLAINed with its own parameters; a plan
that reads the item table (or the read marks, or the exchanges) from end to end fails."""
import json

import pytest
from sqlalchemy import event, text

from hub.extensions import db
from hub.models import Item
from tests.factories import login

BIG_TABLES = {"item", "read_state", "exchange"}


def seq_scans(plan):
    """Relations read by a sequential scan anywhere in a JSON plan."""
    found = []
    if plan.get("Node Type") == "Seq Scan":
        found.append(plan.get("Relation Name"))
    for child in plan.get("Plans", []):
        found += seq_scans(child)
    return found


def test_main_pages_read_by_index_without_statistics(app, world):
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("query plans are a PostgreSQL matter here")
    with app.app_context():
        for table in ("item", "read_state", "exchange", "subscription", "source"):
            db.session.execute(text(f"ALTER TABLE {table} SET (autovacuum_enabled = false)"))
        # 40,000 items from the sources Talago follows and 20,000 read marks, written in bulk
        db.session.execute(text(
            "INSERT INTO item (source_id, guid, guid_hash, url, title, summary, content, text, author, "
            "published_at, fetched_at, updated_at, content_hash, enclosures) "
            "SELECT s.id, 'g' || n || '-' || s.id, md5('g' || n || '-' || s.id), 'https://x.id/' || n, "
            "'Berita ' || n, '', '', 'teks berita ' || n, '', now() - n * interval '1 minute', now(), now(), "
            "md5(n::text), '[]' FROM generate_series(1, 20000) AS n, "
            "(SELECT id FROM source WHERE url LIKE 'https://tani%' OR url LIKE 'https://kabar%') AS s"))
        db.session.execute(text(
            "INSERT INTO read_state (user_id, item_id, read_at, first_read_at) "
            "SELECT u.id, i.id, now(), now() FROM item i, user_account u "
            "WHERE u.email = 'dedi@example.id' AND i.id % 2 = 0"))
        db.session.commit()
        never = db.session.execute(text(
            "SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'item' "
            "AND last_analyze IS NULL AND last_autoanalyze IS NULL")).scalar()
        assert never == 1  # no statistics: the planner is on its own
        item_id = db.session.scalar(db.select(Item.id).order_by(Item.id.desc()).limit(1))
        engine = db.engine
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and not executemany:
            seen.append((statement, parameters))
    event.listen(engine, "before_cursor_execute", record)
    try:
        client = app.test_client()
        login(client, "dedi@example.id")
        seen.clear()
        for path in ("/linimasa", "/linimasa?unread=1", "/linimasa?q=berita", "/linimasa?bidang=pertanian",
                     "/linimasa?starred=1", "/linimasa?shared=1", f"/item/{item_id}", "/kim/talago/inbox",
                     "/kim/talago/terkirim"):
            assert client.get(path).status_code == 200, path
    finally:
        event.remove(engine, "before_cursor_execute", record)
    bad = []
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            for statement, parameters in seen:
                if not any(table in statement for table in BIG_TABLES):
                    continue
                cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
                plan = cursor.fetchone()[0]
                plan = plan if isinstance(plan, list) else json.loads(plan)
                scanned = BIG_TABLES & set(seq_scans(plan[0]["Plan"]))
                if scanned:
                    bad.append(f"{sorted(scanned)}: {statement[:300]}")
        finally:
            raw.close()
    assert len(seen) > 10
    assert not bad, "\n\n".join(bad)
