"""Large results as plain tuples.

The dashboard reads some 10^5 rows at a kabupaten's year (the waits of every exchange seen, the
pairs of KIMs that shared). Building SQLAlchemy rows for them costs about three times the query
on SQLite, so there the compiled statement runs on the driver's own cursor; PostgreSQL keeps
the usual path."""
from ..extensions import db


def plain_rows(stmt):
    """Every row of a Core select, as tuples of the driver's values (no result processing:
    use it for integers and strings, not for times)."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return [tuple(row) for row in db.session.execute(stmt)]
    compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    values = []
    for name in compiled.positiontup:
        # an expanded IN list names its values 'param_1_1', 'param_1_2', ... after 'param_1'
        bind = compiled.binds[name] if name in compiled.binds else compiled.binds[name.rsplit("_", 1)[0]]
        processor = bind.type._cached_bind_processor(connection.dialect)
        values.append(processor(params[name]) if processor else params[name])
    return connection.connection.driver_connection.execute(str(compiled), values).fetchall()
