"""Full-text search behind one function: FTS5 on SQLite, tsvector + GIN on PostgreSQL.

Both match every word of the query (case-insensitive, no stemming) and rank title hits above
body hits. Highlighting is done here in Python on the page of results, so both databases
mark the same words the same way.
"""
import re

from markupsafe import Markup, escape
from sqlalchemy import column, func, literal_column, table, text

from ..models import Item

ITEM_FTS = table("item_fts", column("rowid"))  # SQLite's FTS5 index, made by migration 0002

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


def terms(query: str):
    """The words of a query, lowercased, at most eight, each at most 40 characters."""
    return [w.lower()[:40] for w in _WORD.findall(query or "")][:MAX_TERMS]


def tokens(source_ids=(), kim_ids=()):
    """FTS5 origin tokens: 's42' for an item of source 42, 'k7' for a post of KIM 7."""
    return [f"s{int(s)}" for s in source_ids if s is not None] + [f"k{int(k)}" for k in kim_ids if k is not None]


def apply(stmt, dialect, words, origin_tokens):
    """Narrow a select over Item to rows of these origins (see tokens()) containing every word;
    returns (stmt, rank expression). A lower rank sorts first on both databases."""
    if dialect == "postgresql":
        query = func.to_tsquery("simple", " & ".join(words))
        search = literal_column("item.search")
        return stmt.where(search.op("@@")(query)), -func.ts_rank_cd(search, query)
    # FTS5 intersects the words with the sources' tokens itself (see migration 0002)
    fts = "(%s) AND src:(%s)" % (" ".join('"%s"' % w.replace('"', "") for w in words),
                                 " OR ".join(f'"{t}"' for t in origin_tokens) or '"s0"')
    stmt = stmt.join(ITEM_FTS, ITEM_FTS.c.rowid == Item.id).where(text("item_fts MATCH :fts").bindparams(fts=fts))
    return stmt, literal_column("bm25(item_fts, 10.0, 1.0, 0.0)")


def _pattern(words):
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)


def highlight(value, words):
    """The text with each query word wrapped in <mark>, everything else escaped."""
    if not words or not value:
        return escape(value or "")
    pattern = _pattern(words)
    out, last = [], 0
    for match in pattern.finditer(value):
        out.append(escape(value[last:match.start()]))
        out.append(Markup("<mark>%s</mark>") % match.group(0))
        last = match.end()
    out.append(escape(value[last:]))
    return Markup("").join(out)


def snippet(value, words, width=220):
    """A window of the text around the first query word, highlighted."""
    if not value:
        return Markup("")
    match = _pattern(words).search(value) if words else None
    start = 0 if match is None else max(0, match.start() - width // 3)
    if start:
        space = value.find(" ", start)
        start = space + 1 if 0 < space < start + 20 else start
    piece = value[start:start + width]
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(value) else ""
    return Markup(prefix) + highlight(piece, words) + Markup(suffix)




def index_pending(session):
    """Add items written since the last call to the SQLite search index, in one statement
    (PostgreSQL keeps its tsvector column itself). Call before committing new items; anything
    a writer left out is picked up by the next call, since the watermark lives in the database."""
    if session.get_bind().dialect.name != "sqlite":
        return
    session.execute(text(
        "INSERT INTO item_fts(rowid, title, text, src) "
        "SELECT id, title, text, coalesce('s' || source_id, 'k' || kim_id) FROM item "
        "WHERE id > (SELECT last_id FROM item_fts_watermark) ORDER BY id"))
    session.execute(text("UPDATE item_fts_watermark SET last_id = (SELECT coalesce(max(id), 0) FROM item)"))
