"""The item page and the inbox: opening an item already read writes nothing; the people a page
names (who shared, checked, commented) come with what they did, not with their memberships and
roles."""
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Item, ReadState, User
from hub.sharing import review
from hub.sharing import service as sharing
from tests.factories import login, selects_during


def item_id(app, title):
    with app.app_context():
        return db.session.scalar(db.select(Item.id).where(Item.title == title))


def writes(statements):
    return [s for s in statements if not s.upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))]


def test_an_item_opened_again_costs_no_write(app, world):
    client = app.test_client()
    login(client, "dedi@example.id")
    tanam = item_id(app, "Jadwal tanam padi")
    first, seen = selects_during(app, lambda: client.get(f"/item/{tanam}"), every=True)
    assert first.status_code == 200 and any("INSERT INTO read_state" in s for s in writes(seen))
    again, seen = selects_during(app, lambda: client.get(f"/item/{tanam}"), every=True)
    assert again.status_code == 200 and writes(seen) == []
    with app.app_context():
        state = db.session.scalar(db.select(ReadState).where(ReadState.item_id == tanam))
        assert state.read_at is not None and state.first_read_at is not None
    # marked unread, the next opening marks it read again
    from tests.factories import post
    assert post(client, f"/item/{tanam}/unread", {"next": "/linimasa"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(ReadState.read_at).where(ReadState.item_id == tanam)) is None
    _answer, seen = selects_during(app, lambda: client.get(f"/item/{tanam}"), every=True)
    assert any("read_state" in s for s in writes(seen))
    with app.app_context():
        assert db.session.scalar(db.select(ReadState.read_at).where(ReadState.item_id == tanam)) is not None


def test_people_the_item_page_names_bring_no_memberships(app, world):
    from tests.factories import make_user
    make_user(app, "sari@example.id", name="Sari Pengurus", kim="sarilamak", role="pengurus")
    with app.app_context():
        fitri = db.session.scalar(db.select(User).where(User.email == "fitri@example.id"))
        sari = db.session.scalar(db.select(User).where(User.email == "sari@example.id"))
        longsor = db.session.get(Item, item_id(app, "Waspada longsor"))
        review.record_check(longsor, get_kim("sarilamak"), actor=sari, note="Sudah ditanya ke BPBD")
        sharing.share(longsor, get_kim("sarilamak"), ["talago"], actor=fitri, note="Mohon disebarkan")
        db.session.commit()
    client = app.test_client()
    login(client, "dedi@example.id")
    page, seen = selects_during(app, lambda: client.get(f"/item/{item_id(app, 'Waspada longsor')}?keep=unread"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "fitri" in html and "Sari Pengurus" in html
    # the signed-in member's memberships and roles come with their login session (one statement);
    # nobody else's are loaded
    assert [s for s in seen if s.startswith(("SELECT membership", "SELECT coordinator_role"))] == []


def test_the_inbox_names_its_senders_without_their_memberships(app, world):
    """The inbox lists who shared each item and offers every other KIM as a filter: the senders
    come joined to their exchanges, the KIMs as rows, and the count stays flat."""
    with app.app_context():
        fitri = db.session.scalar(db.select(User).where(User.email == "fitri@example.id"))
        longsor = db.session.get(Item, item_id(app, "Waspada longsor"))
        sharing.share(longsor, get_kim("sarilamak"), ["talago"], actor=fitri, note="Mohon disebarkan")
        db.session.commit()
    client = app.test_client()
    login(client, "dedi@example.id")
    page, seen = selects_during(app, lambda: client.get("/kim/talago/inbox"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "fitri" in html and "Waspada longsor" in html
    assert 'value="sarilamak"' in html  # the filter offers the other KIM
    assert [s for s in seen if s.startswith(("SELECT membership", "SELECT coordinator_role"))] == []
