"""The schema changes only through migrations: they build an empty database, match the models,
and downgrade cleanly."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from hub import create_app
from hub.extensions import db
from hub.models import alembic_include_object
from tests.conftest import PG_URL, TEST_CONFIG, create_pg_database, drop_pg_database

TABLES = {"kim", "user_account", "membership", "coordinator_role", "api_token", "login_throttle", "login_session",
          "source", "subscription", "item", "event", "read_state"}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need HUB_TEST_DATABASE_URL")
    url = create_pg_database("migrations")
    yield url
    drop_pg_database(url)


def test_upgrade_matches_models_and_downgrades(empty_url, tmp_path):
    app = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=empty_url), instance_path=tmp_path / "i")
    with app.app_context():
        upgrade()
        assert TABLES <= set(inspect(db.engine).get_table_names())
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_object": alembic_include_object})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()  # and back up again
        assert TABLES <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()
