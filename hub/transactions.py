"""How a web request's transaction ends, so that PostgreSQL keeps its prepared statements.

psycopg prepares a statement once it has run five times on a connection, and drops every
prepared statement of the connection at each ROLLBACK (one prepared inside the transaction would
otherwise be lost). Every request used to end with a ROLLBACK, the session's way to close, so no
statement was ever prepared and PostgreSQL parsed and planned every query of every page again
(the timeline's took 4-5 ms to plan, more than to run).

A transaction that only read ends with COMMIT instead: for it, COMMIT and ROLLBACK are the same
(there is nothing to keep or discard). Any other statement run in it (an INSERT, an UPDATE, a
flush, a SET) marks the connection, and a marked transaction still ends with ROLLBACK, as
before, so nothing a view left uncommitted is ever kept.

Once prepared, a statement may run on PostgreSQL's generic plan (plan_cache_mode = auto, the
server's default): a page's point lookups (the login, an item, its flags) are then neither
parsed nor planned again. The coordinators' measures ask for plans made for the values at hand
(`custom_plans()`: hub.web.monitor, the monitoring API and the jobs of hub.monitoring.parallel),
since for a range over a year of the log the generic plan read the whole index (7 ms became
100 ms on the dashboard).
"""
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from .extensions import db

WROTE = "hub_wrote"  # in the connection's info: this transaction ran something besides SELECTs
CUSTOM = "SET LOCAL plan_cache_mode = force_custom_plan"


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip()[:6].upper() != "SELECT" and statement != CUSTOM:
        conn.info[WROTE] = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _transaction_over(conn):
    if not conn.invalidated:  # an invalidated connection's info would try to reconnect (and raise)
        conn.info.pop(WROTE, None)


@event.listens_for(Pool, "checkin")
def _returned(dbapi_connection, connection_record):
    if connection_record is not None:  # None: a connection detached from the pool
        connection_record.info.pop(WROTE, None)  # the pool's own reset ended its transaction


def custom_plans():
    """Plan this transaction's statements for the values at hand, never on a generic plan (a
    coordinator's period may be a day or a year). Ends with the transaction. Nothing on SQLite."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(CUSTOM)


def end_read_only(exc):
    """Teardown: COMMIT a request's transaction that only read (see the module's text); leave
    every other one to the session's ROLLBACK."""
    if exc is not None or not db.session.registry.has():
        return
    session = db.session()
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql" or connection.info.get(WROTE):
        return
    # the objects keep what they loaded, as the session's close would leave them (a COMMIT
    # that expired them would make a detached object unreadable)
    session.expire_on_commit = False
    try:
        session.commit()
    except Exception:  # a broken connection: the session's close rolls back as before
        session.rollback()


def init_app(app):
    # registered after Flask-SQLAlchemy's own teardown, so it runs before the session is removed
    app.teardown_appcontext(end_read_only)
