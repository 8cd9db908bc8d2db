"""Flask extensions, created unbound; create_app() binds them."""
from flask_babel import Babel
from flask_compress import Compress
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Integer, MetaData, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import DeclarativeBase

from .text import row_id

# Named constraints keep Alembic migrations portable (SQLite batch mode needs names).
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
compress = Compress()


def upsert_insert(session=None):
    """The dialect's INSERT with ON CONFLICT (PostgreSQL's or SQLite's): the hub runs on both."""
    bind = (session or db.session).get_bind()
    return pg_insert if bind.dialect.name == "postgresql" else sqlite_insert


def ids_in(column, name, dialect):
    """`column` among the ids given as the parameter `name` (a list): on PostgreSQL one array
    parameter (= ANY), so the statement stays the same whatever the list's length and is
    prepared once; elsewhere an expanding IN (rendered anew for each list)."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(Integer), required=True))
    return column.in_(bindparam(name, expanding=True, required=True))


def get_or_refuse(model, key, message):
    """The `model` row with this id, or a NotFound refusal saying `message`."""
    row = db.session.get(model, key)
    if row is None:
        from .errors import NotFound
        raise NotFound(message)
    return row


def get_by_row_id(model, value):
    """The `model` row whose id a query string gives, or None (not a number, or none a row can
    have: such a number would make the database refuse the query)."""
    number = row_id(value)
    return db.session.get(model, number) if number is not None else None
