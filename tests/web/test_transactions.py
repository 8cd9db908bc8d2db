"""A request that only read ends its transaction with COMMIT, so psycopg keeps the statements it
prepared (a ROLLBACK drops them all); a request that wrote and did not commit is still rolled
back, whatever it wrote with."""
import pytest
from sqlalchemy import text, update

from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Kim
from tests.factories import login, make_kim, make_user


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
