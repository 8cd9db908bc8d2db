"""The main pages run a fixed number of SQL statements, whatever the number of rows they show
(issue 11: the inbox ran 58 statements for 40 exchanges). Each page is counted with a few rows,
then again after the network grew; a page whose count grows loads something row by row."""
import pytest
from sqlalchemy import event

from hub.aggregation import service as aggregation
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Item, User
from hub.posts import service as posts
from hub.sharing import review
from hub.sharing import service as sharing
from tests.factories import login, make_kim, make_user
from tests.reading_world import add_items

PAGES = {
    "dedi@example.id": ["/linimasa", "/item/{item}", "/kim/talago/inbox", "/kim/talago/terkirim", "/kim/talago/berita",
                        "/kim/talago/ringkasan-wa", "/kim/", "/kim/talago", "/linimasa?starred=1", "/notifikasi"],
    "rina@example.id": ["/kim/talago/sources", "/kim/talago/kegiatan", "/kim/talago/aspirasi/masuk"],
    "koor@example.id": ["/pantau", "/pantau/kim/talago", "/pantau/jejaring", "/pantau/jangkauan?item={item}"],
    "admin@example.id": ["/admin/users", "/admin/kims", "/admin/sources"],
}


def user(email):
    return db.session.scalar(db.select(User).where(User.email == email))


def grow(app, world, start, count):
    """`count` more KIMs, each following BPBD, sharing its items with Talago and receiving
    Talago's item (so the inbox, the sent list, the tree and the directories all grow); Talago
    posts, checks, disseminates and bookmarks more."""
    add_items(app, world["bpbd"], [(f"Kabar BPBD {start + n}", "Siaga banjir di nagari", 100 + start + n)
                                   for n in range(count)])
    for n in range(start, start + count):
        make_kim(app, f"kim-{n}", kecamatan=f"Kecamatan {n % 3}")
        make_user(app, f"u{n}@example.id", kim=f"kim-{n}", role="pengurus")
    with app.app_context():
        talago, dedi, rina = get_kim("talago"), user("dedi@example.id"), user("rina@example.id")
        gambir = db.session.scalar(db.select(Item).where(Item.title == "Harga gambir naik"))
        for n in range(start, start + count):
            kim, member = get_kim(f"kim-{n}"), user(f"u{n}@example.id")
            aggregation.subscribe(kim, "https://bpbd.example.id/rss", bidang="bencana", kind="pemerintah")
            news = db.session.scalar(db.select(Item).where(Item.title == f"Kabar BPBD {n}"))
            sharing.share(news, kim, ["talago"], actor=member, note=f"catatan {n}")
            sharing.share(gambir, talago, [kim.slug], actor=dedi, note=f"untuk {n}")
            review.record_check(news, talago, actor=rina, note="Dicek")
            review.disseminate(news, talago, actor=rina, channel="whatsapp", audience=10)
            posts.create_post(talago, actor=rina, title=f"Kabar nagari {n}", body="Isi", publish=True,
                              base_url="http://localhost/")
            from hub.reading.timeline import set_starred
            set_starred(dedi, news, True)
            from hub.aspirasi import service as aspirasi
            from hub.models import AspirationCategory
            db.session.merge(AspirationCategory(code="lainnya", label="Lainnya", active=True))
            aspirasi.submit(talago, {"title": f"Usulan {n}", "text": "Isi", "category": "lainnya"})
        db.session.commit()
        return gambir.id


def count_statements(app, item_id):
    counts = {}
    with app.app_context():
        engine = db.engine
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)
    for email, paths in PAGES.items():
        client = app.test_client()
        login(client, email)
        for template in paths:
            path = template.format(item=item_id)
            assert client.get(path).status_code == 200, path  # warm: caches filled, not counted
            event.listen(engine, "before_cursor_execute", record)
            try:
                seen.clear()
                response = client.get(path)
            finally:
                event.remove(engine, "before_cursor_execute", record)
            assert response.status_code == 200, path
            counts[path.replace(str(item_id), "{item}")] = len(seen)
    return counts


@pytest.mark.parametrize("backend", ["sqlite"])
def test_main_pages_run_as_many_statements_for_many_rows_as_for_few(app, world, backend):
    if app.config["BACKEND"] != backend:
        pytest.skip("counted once, on SQLite")
    make_user(app, "rina@example.id", kim="talago", role="pengurus")
    make_user(app, "koor@example.id", coordinator="kabupaten")
    make_user(app, "admin@example.id", admin=True)
    item_id = grow(app, world, 0, 2)
    few = count_statements(app, item_id)
    grow(app, world, 2, 12)
    many = count_statements(app, item_id)
    grew = {path: (few[path], many[path]) for path in few if many[path] != few[path]}
    assert not grew, f"statements per page grew with the rows (few, many): {grew}"
    assert few["/kim/talago/inbox"] <= 25, few  # and few of them
