"""Store prepared items for one source: insert the new, update the changed, never delete."""
from sqlalchemy import select, update

from ..extensions import upsert_insert
from ..models import Item
from ..reading.search import index_pending
from ..sharing.review import carry_flags

CHUNK = 500


def store_items(session, source_id, items, fetched_at, index=True, first=False, flags=None):
    """Upsert items of one source keyed by (source_id, guid_hash); returns (new, updated).

    index=False leaves the search index to the caller (the worker indexes a whole batch at once
    with hub.reading.search.index_pending). first=True: the source has never been stored before,
    so nothing is looked up (the conflict clause still keeps a key from being stored twice).
    flags: hub.sharing.review.standing_flags(), when the caller read them for a batch of sources."""
    new = updated = 0
    for start in range(0, len(items), CHUNK):
        chunk = items[start:start + CHUNK]
        existing = {} if first else {row.guid_hash: row for row in session.execute(
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
    """Insert new rows (of one source or of many) in one executemany."""
    # the claim lease makes this worker the source's only writer; the conflict clause is a
    # safety net, not the de-duplication itself. The table, not the ORM entity: an executemany
    # without the ORM's bookkeeping per row
    insert = upsert_insert(session)
    session.execute(insert(Item.__table__).on_conflict_do_nothing(index_elements=["source_id", "guid_hash"]), rows)
