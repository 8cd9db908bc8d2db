"""Sources stored for the first time go in together, one statement per commit; a source whose
items the database refuses is left as it was before the fetch and fetched again, the others kept."""
from sqlalchemy import text

from hub.extensions import db
from tests.aggregation.feeds import numbered, rss
from tests.aggregation.helpers import items, refresh, source, subscribe
from tests.factories import make_kim

POISON = {
    "sqlite": ["CREATE TRIGGER poison BEFORE INSERT ON item WHEN NEW.title = 'Racun' "
               "BEGIN SELECT RAISE(ABORT, 'poisoned'); END"],
    "postgresql": ["CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN IF NEW.title = 'Racun' THEN "
                   "RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                   "CREATE TRIGGER poison BEFORE INSERT ON item FOR EACH ROW EXECUTE FUNCTION poison()"],
}
CURE = {"sqlite": ["DROP TRIGGER poison"],
        "postgresql": ["DROP TRIGGER poison ON item", "DROP FUNCTION poison()"]}


def _run_sql(app, statements):
    with app.app_context():
        for statement in statements[db.engine.dialect.name]:
            db.session.execute(text(statement))
        db.session.commit()


def test_a_refused_source_is_fetched_again_whole_and_the_others_are_kept(app, httpserver):
    kim = make_kim(app)
    good = [f"/good{n}" for n in range(3)]
    for path in good:
        httpserver.expect_request(path).respond_with_data(rss(numbered(3)), content_type="application/rss+xml",
                                                          headers={"ETag": '"v1"'})
    httpserver.expect_request("/bad").respond_with_data(rss(numbered(2) + [{"title": "Racun", "guid": "r"}]),
                                                        content_type="application/rss+xml", headers={"ETag": '"v1"'})
    ids = [subscribe(app, kim.slug, httpserver.url_for(p)) for p in good]
    bad = subscribe(app, kim.slug, httpserver.url_for("/bad"))
    _run_sql(app, POISON)
    summary = refresh(app)
    assert (summary.fetched, summary.new_items, summary.errors) == (3, 9, 1)
    assert all(len(items(app, i)) == 3 for i in ids)
    assert items(app, bad) == []
    refused = source(app, bad)
    # as before the fetch: no validators (the next fetch gets the whole feed), never stored, no
    # error counted against the source (the hub failed, not the feed), due again soon
    assert (refused.etag, refused.last_success_at, refused.error_count, refused.lease_until) == (None, None, 0, None)
    assert source(app, ids[0]).etag == '"v1"'
    _run_sql(app, CURE)
    again = refresh(app, source_ids=[bad])
    assert (again.fetched, again.new_items, again.errors) == (1, 3, 0)
    assert len(items(app, bad)) == 3


def test_many_first_sources_are_stored_in_one_statement_per_commit(app, httpserver):
    kim = make_kim(app)
    paths = [f"/f{n}" for n in range(12)]
    for path in paths:
        httpserver.expect_request(path).respond_with_data(rss(numbered(4)), content_type="application/rss+xml")
    ids = [subscribe(app, kim.slug, httpserver.url_for(p)) for p in paths]
    inserts = []
    with app.app_context():
        from sqlalchemy import event
        engine = db.engine

        def count(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith("INSERT INTO ITEM "):
                inserts.append(len(parameters) if executemany else 1)
        event.listen(engine, "before_cursor_execute", count)
        try:
            summary = refresh(app)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert summary.new_items == 48 and all(len(items(app, i)) == 4 for i in ids)
    assert sum(inserts) == 48
    assert len(inserts) < len(paths)  # not one statement per source
