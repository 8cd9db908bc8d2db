"""Fixtures: an app per test with a fresh database, on SQLite and (when configured) PostgreSQL.

SQLite: the schema is built once per run through the migrations into a template file, which
each test copies. PostgreSQL (HUB_TEST_DATABASE_URL): each run and xdist worker creates its own
database, migrates it once and truncates every table before each test; it is dropped at the end.
"""
import os
import re
import shutil
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from hub import create_app
from hub.config import normalize_database_url
from hub.extensions import db

ROOT = Path(__file__).resolve().parent.parent
# shared/ (the feed corpus) lies beside the checkout, here and in CI
CORPUS = Path(os.environ.get("HUB_SHARED_DIR") or ROOT.parent / "shared") / "corpus"
PG_URL = os.environ.get("HUB_TEST_DATABASE_URL")
pytest_plugins = ["tests.reading_world"]  # the `world` of KIMs, sources and items for reading tests
BACKENDS = ["sqlite", "postgresql"]
TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "HUB_PASSWORD_METHOD": "scrypt:1024:8:1",  # cheap for tests; production keeps the default
    "HUB_ALLOW_PRIVATE_FEEDS": True,
    # tests log in and write from one address far faster than people do; the limits themselves
    # are tested with their own values (tests/accounts/test_rate_limits.py)
    "HUB_RATELIMIT_LOGIN": "10000 per minute",
    "HUB_RATELIMIT_WRITES": "10000 per minute",
}
PASSWORD = "rahasia-123"


def pytest_sessionstart(session):
    """Compile the translation catalogs so that `pytest` alone works like `make test`."""
    for po in (ROOT / "hub" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run([str(Path(sys.executable).parent / "pybabel"), "compile",
                            "-i", str(po), "-o", str(mo)], check=True, capture_output=True)


def _upgrade(url, instance):
    app = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=url), instance_path=instance)
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
        db.engine.dispose()


def pg_admin_engine():
    return create_engine(normalize_database_url(PG_URL), isolation_level="AUTOCOMMIT")


def create_pg_database(suffix):
    """A new, empty PostgreSQL database named after this run; returns its URL."""
    name = f"hub_test_{uuid.uuid4().hex[:10]}_{suffix}"
    engine = pg_admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(normalize_database_url(PG_URL)).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url):
    engine = pg_admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


def worker_id():
    return re.sub(r"\W", "", os.environ.get("PYTEST_XDIST_WORKER", "main"))


@pytest.fixture(scope="session", params=BACKENDS)
def database(request, tmp_path_factory):
    """One migrated database per backend for the whole run (per xdist worker)."""
    if request.param == "sqlite":
        base = tmp_path_factory.mktemp("sqlite-template")
        template = base / "template.db"
        _upgrade(f"sqlite:///{template}", base / "instance")
        yield {"backend": "sqlite", "template": template}
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need HUB_TEST_DATABASE_URL "
                    "(e.g. postgresql://postgres@127.0.0.1:5432/test); .ci/run sets it")
    url = create_pg_database(worker_id())
    _upgrade(url, tmp_path_factory.mktemp("pg-instance"))
    yield {"backend": "postgresql", "url": url}
    drop_pg_database(url)


@pytest.fixture
def app(database, tmp_path):
    """A fresh app and an empty (migrated) database for one test. No app context is pushed,
    so every request gets its own, as in production; use `with app.app_context()`."""
    if database["backend"] == "sqlite":
        path = tmp_path / "hub.db"
        shutil.copy(database["template"], path)
        url = f"sqlite:///{path}"
    else:
        url = database["url"]
        engine = create_engine(normalize_database_url(url))
        with engine.begin() as conn:
            tables = conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'")).scalars().all()
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        engine.dispose()
    app = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=url), instance_path=tmp_path / "instance")
    app.config["BACKEND"] = database["backend"]
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def serve(app):
    """Serve an app over real HTTP on 127.0.0.1 (an ephemeral port) in a thread; returns (url, stop)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        thread.join()
        server.server_close()
    return f"http://127.0.0.1:{server.server_port}", stop


@pytest.fixture
def live_server(app):
    url, stop = serve(app)
    yield url
    stop()
