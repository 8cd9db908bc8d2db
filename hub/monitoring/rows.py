"""Large results as plain tuples.

The dashboard reads some 10^5 rows at a kabupaten's year (the waits of every exchange seen, the
pairs of KIMs that shared). Building SQLAlchemy rows for them costs about three times the query,
so the compiled statement runs on the driver's own cursor (sqlite3 or psycopg), its parameters
converted as SQLAlchemy would."""
from contextlib import contextmanager

from ..extensions import db


def plain_rows(stmt):
    """Every row of a Core select, as tuples of the driver's values (no result processing:
    use it for integers and strings, not for times)."""
    connection = db.session.connection()
    dialect = connection.dialect
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()

    def value(name):
        # an expanded IN list names its values 'param_1_1', 'param_1_2', ... after 'param_1'
        bind = compiled.binds[name] if name in compiled.binds else compiled.binds[name.rsplit("_", 1)[0]]
        processor = bind.type._cached_bind_processor(dialect)
        return processor(params[name]) if processor else params[name]
    raw = connection.connection.driver_connection
    if dialect.name == "sqlite":
        return raw.execute(str(compiled), [value(name) for name in compiled.positiontup]).fetchall()
    with raw.cursor() as cursor:
        cursor.execute(str(compiled), {name: value(name) for name in params})
        return cursor.fetchall()


@contextmanager
def grouped_in_index_order():
    """On PostgreSQL, let the statements inside count their groups by reading an index in order
    rather than hashing every row: at a year of a kabupaten (2 x 10^5 exchanges, 5 x 10^4 pairs of
    KIMs) the planner's estimates favour the hash, which takes twice as long and spills its sort to
    disk. Transaction-local, and put back when the block ends."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.exec_driver_sql("SET LOCAL enable_hashagg = off")
    try:
        yield
    finally:
        connection.exec_driver_sql("RESET enable_hashagg")
