"""The application factory: configuration, extensions, blueprints, CLI (hub.create_app calls it)."""
import os
import sys

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

from . import ROOT, migrating
from . import config as config_module
from .extensions import babel, db
from .text import MAX_ROW_ID


class RowIdConverter(IntegerConverter):
    """<int:...> in a route: 0 to MAX_ROW_ID, the range of the tables' integer keys."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, *args, **kwargs)


def create_app(config=None, instance_path=None, faces=None):
    """Build the application: configuration, extensions, blueprints, CLI.

    faces=False leaves out what serves people and programs (pages, API, feeds, logins, CSRF,
    compression, rate limits): a command that only refreshes feeds starts in half the time.
    None: all of it, unless this process is a `flask` command that needs none (faces_wanted)."""
    if faces is None:
        faces = faces_wanted()
    app = Flask(
        __name__,
        instance_path=str(instance_path or ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    config_module.load(app, config)
    # ids in URLs are database integers: one beyond 2**31 - 1 matches no route (404), rather
    # than reaching a query that overflows (a 500 on both databases)
    app.url_map.converters["int"] = RowIdConverter
    db.init_app(app)
    from . import transactions
    transactions.init_app(app)
    from .posts import publication  # noqa: F401  (its flush listener keeps the KIMs' feed versions)
    migrating.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)

    from .web import i18n
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=str(ROOT / "hub" / "translations"))
    i18n.init_app(app)
    if faces:
        _add_faces(app)

    from . import cli
    cli.register(app)

    if app.config["HUB_INPROCESS_WORKER"] and not app.config.get("TESTING"):
        from .aggregation.worker import start_in_process
        start_in_process(app)
    return app


# `flask` commands that never render a page, build a URL or check a login
FACELESS_COMMANDS = {"fetch"}
_FLASK_VALUE_OPTIONS = {"-A", "--app", "-e", "--env-file"}


def faces_wanted(argv=None):
    """False when this process is the `flask` command running one of FACELESS_COMMANDS (Flask's
    CLI sets FLASK_RUN_FROM_CLI and loads the app before it knows which command it runs)."""
    if os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        return True
    args = iter((sys.argv if argv is None else argv)[1:])
    for arg in args:
        if arg in _FLASK_VALUE_OPTIONS:
            next(args, None)
        elif not arg.startswith("-"):
            return arg not in FACELESS_COMMANDS
    return True


def _add_faces(app):
    """Pages, the API and feeds, with what guards them."""
    if app.config["HUB_TRUSTED_PROXIES"]:
        # behind a reverse proxy: take the client address (for the login throttle) and scheme
        # from X-Forwarded-* headers set by that many proxies
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = app.config["HUB_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    from .extensions import compress, csrf, login_manager
    csrf.init_app(app)
    compress.init_app(app)

    from .web import auth
    auth.init_login(app, login_manager)

    from . import api, web
    web.register(app)
    api.register(app)
    from .web import limits
    limits.init_app(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL and foreign keys for SQLite. (PostgreSQL keeps its default plan_cache_mode, auto: see
    hub.transactions for the queries that ask for custom plans.)"""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
