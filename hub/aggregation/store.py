"""Store prepared items for one source: insert the new, update the changed, never delete."""
from datetime import datetime

from sqlalchemy import select, update

from ..extensions import upsert_insert
from ..models import Item
from ..posts.publication import changed
from ..reading.search import index_pending
from ..sharing.review import carry_flags

CHUNK = 500


def store_items(session, source_id, items, fetched_at, index=True, flags=None):
    """Upsert items of one source keyed by (source_id, guid_hash); returns (new, updated).

    index=False leaves the search index to the caller (the worker indexes a whole batch at once
    with hub.reading.search.index_pending; it inserts the items of a source never stored before
    itself, with insert_rows). flags: hub.sharing.review.standing_flags(), when the caller read
    them for a batch of sources."""
    new = updated = 0
    for start in range(0, len(items), CHUNK):
        chunk = items[start:start + CHUNK]
        existing = {row.guid_hash: row for row in session.execute(
            select(Item.guid_hash, Item.id, Item.content_hash, Item.raw_hash)
            .where(Item.source_id == source_id, Item.guid_hash.in_([i["guid_hash"] for i in chunk])))}
        rows, changes, hashes = [], [], []
        for item in chunk:
            old = existing.get(item["guid_hash"])
            if old is None:
                rows.append(new_row(source_id, item, fetched_at))
            elif old.content_hash != item["content_hash"]:
                change = {k: v for k, v in item.items() if k not in ("guid", "guid_hash", "published_at")}
                if item["published_at"] is not None:
                    change["published_at"] = item["published_at"]
                changes.append(dict(change, id=old.id, updated_at=fetched_at))
            elif old.raw_hash != item.get("raw_hash"):
                # the same item, stored before its raw form was remembered: remembered now, so
                # that the next refresh skips it before cleaning
                hashes.append({"id": old.id, "raw_hash": item.get("raw_hash")})
        if rows:
            insert_rows(session, rows)
            new += len(rows)
            carry_flags(session, source_id, rows, flags)  # a flagged story arriving again stays flagged
        if changes:
            session.execute(update(Item), changes)
            # items edited at their source: the feeds of the KIMs that disseminated them change
            # (a bulk UPDATE by key: no flush sees it)
            changed(session, item_ids=[change["id"] for change in changes])
            updated += len(changes)
        if hashes:
            session.execute(update(Item), hashes)
    if index and new:
        index_pending(session)
    return new, updated


def new_row(source_id, item, fetched_at):
    """The row a prepared item is inserted as."""
    return dict(item, source_id=source_id, fetched_at=fetched_at, updated_at=fetched_at,
                published_at=item["published_at"] or fetched_at)


def insert_rows(session, rows):
    """Insert new rows (of one source or of many; every row with the same keys) in one executemany."""
    if not rows:
        return
    connection = session.connection()
    statement = _insert_statement(upsert_insert(session))
    sql, names, processors = _compiled_insert(statement, connection.dialect, tuple(rows[0]))
    if sql is None:  # a statement with binds the rows do not give: the general path
        session.execute(statement, rows)
        return
    # the values converted by the columns' own bind processors, as SQLAlchemy would, but without
    # its bookkeeping per row and parameter (a fifth of the main process in a cold refresh);
    # times repeat across a source's rows (its fetch time) and are converted once
    converted = {}
    values = []
    for row in rows:
        out = []
        for name, process in zip(names, processors):
            value = row[name]
            if process is not None and value is not None:
                if isinstance(value, datetime):
                    key = (name, value)
                    if key not in converted:
                        converted[key] = process(value)
                    value = converted[key]
                else:
                    value = process(value)
            out.append(value)
        values.append(out)
    if connection.dialect.paramstyle == "qmark":
        connection.exec_driver_sql(sql, [tuple(v) for v in values])
    else:
        connection.exec_driver_sql(sql, [dict(zip(names, v)) for v in values])


def _insert_statement(insert):
    """The conflict-ignoring INSERT of items, with the dialect's `insert` (upsert_insert)."""
    # the claim lease makes this worker the source's only writer; the conflict clause is a
    # safety net, not the de-duplication itself. The table, not the ORM entity: an executemany
    # without the ORM's bookkeeping per row
    return insert(Item.__table__).on_conflict_do_nothing(index_elements=["source_id", "guid_hash"])


_INSERTS = {}


def _compiled_insert(statement, dialect, keys):
    """(SQL, bind names in order, their processors) of the statement for rows with these keys on
    this dialect; (None, None, None) when the statement needs other binds."""
    cache_key = (dialect.name, dialect.paramstyle, keys)
    if cache_key not in _INSERTS:
        compiled = statement.compile(dialect=dialect, column_keys=list(keys), for_executemany=True)
        names = list(compiled.positiontup) if compiled.positiontup else list(compiled.binds)
        if sorted(names) != sorted(keys) or dialect.paramstyle not in ("qmark", "pyformat", "named"):
            _INSERTS[cache_key] = (None, None, None)
        else:
            table = Item.__table__
            processors = [table.c[name].type._cached_bind_processor(dialect) for name in names]
            _INSERTS[cache_key] = (compiled.string, names, processors)
    return _INSERTS[cache_key]
