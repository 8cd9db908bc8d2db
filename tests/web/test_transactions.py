"""A request that only read ends its transaction with COMMIT, so psycopg keeps the statements it
prepared (a ROLLBACK drops them all); a request that wrote and did not commit is still rolled
back, whatever it wrote with."""
import pytest
from sqlalchemy import text, update

from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Kim
from tests.factories import PASSWORD, login, make_kim, make_user


def test_what_a_request_left_uncommitted_is_rolled_back(app):
    make_kim(app, "talago", name="Talago")

    def core_write():
        db.session.execute(update(Kim).values(name="Core"))
        return "ok"

    def orm_flush():
        get_kim("talago").name = "Flushed"
        db.session.flush()
        return "ok"

    def orm_dirty():
        get_kim("talago").name = "Dirty"
        return "ok"

    def write_then_read():
        db.session.execute(update(Kim).values(name="Then read"))
        db.session.execute(text("SELECT 1"))
        return "ok"
    for view in (core_write, orm_flush, orm_dirty, write_then_read):
        app.add_url_rule(f"/_test/{view.__name__}", view.__name__, view)
    client = app.test_client()
    for view in (core_write, orm_flush, orm_dirty, write_then_read):
        assert client.get(f"/_test/{view.__name__}").status_code == 200
        with app.app_context():
            assert db.session.scalar(db.select(Kim.name)) == "Talago", view.__name__


def test_read_only_requests_keep_prepared_statements(app):
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("prepared statements are psycopg's")
    make_kim(app, "talago", name="Talago")
    make_user(app, "dedi@example.id", kim="talago")
    client = app.test_client()
    login(client, "dedi@example.id")
    for _ in range(8):  # psycopg prepares a statement at its fifth run
        assert client.get("/linimasa").status_code == 200
    with app.app_context():
        prepared = db.session.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
    assert any("FROM login_session" in s for s in prepared), prepared
    assert any("part0" in s for s in prepared), prepared  # the timeline's own statement


def test_pages_use_generic_plans_and_the_coordinators_measures_custom_ones(app):
    """Prepared statements of a page may run on PostgreSQL's generic plan (the server's default,
    auto); every connection a coordinator's measures use (the page's and each parallel job's)
    asks for plans made for the values at hand before its first query."""
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("plan_cache_mode is PostgreSQL's")
    from sqlalchemy import event

    from hub.transactions import CUSTOM
    make_kim(app, "talago", name="Talago")
    make_user(app, "dedi@example.id", kim="talago")
    make_user(app, "koor@example.id", coordinator="kabupaten")
    app.add_url_rule("/_test/mode", "mode", lambda: db.session.execute(text("SHOW plan_cache_mode")).scalar())
    with app.app_context():
        engine = db.engine
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((id(conn.connection.dbapi_connection), statement))
    member, coordinator = app.test_client(), app.test_client()
    login(member, "dedi@example.id")
    login(coordinator, "koor@example.id")
    token = coordinator.post("/api/v1/tokens", json={"email": "koor@example.id", "password": PASSWORD}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert member.get("/_test/mode").get_data(as_text=True) == "auto"
    event.listen(engine, "before_cursor_execute", record)
    try:
        for path in ("/linimasa", "/kim/talago/inbox"):
            seen.clear()
            assert member.get(path).status_code == 200
            assert seen and not [s for _, s in seen if "plan_cache_mode" in s], path
        for path in ("/pantau", "/api/v1/monitor/kims"):
            seen.clear()
            assert coordinator.get(path, headers=headers).status_code == 200
            asked, measured = set(), set()  # connections that asked for custom plans; that measured
            for connection, statement in seen:
                if statement == CUSTOM:
                    asked.add(connection)
                elif "FROM event" in statement or "FROM exchange" in statement or "rollup" in statement:
                    assert connection in asked, (path, statement)
                    measured.add(connection)
            assert measured, path
    finally:
        event.remove(engine, "before_cursor_execute", record)
