"""A timeline page's statement is built once per form and reused (hub.reading.timeline
._page_statement): a statement built for one reader must never show another reader anything but
their own KIM's items and their own read marks, whatever the order of the requests."""
from datetime import date

import pytest

from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Item, User
from hub.reading import timeline as service
from hub.sharing import service as sharing


def reader(email):
    return db.session.scalar(db.select(User).where(User.email == email))


def every_page(kim, email, **filters):
    """All pages, following the cursors: [(title, read)]."""
    out, cursor = [], None
    while True:
        result = service.timeline(get_kim(kim), reader(email), service.Filters(**filters), cursor=cursor, limit=2)
        out += [(e.item.title, e.read) for e in result.entries]
        if not result.next_cursor:
            return out
        cursor = result.next_cursor


TALAGO = {"Jadwal tanam padi", "Harga gambir naik", "Pupuk bersubsidi", "Festival Lembah Harau", "Tenun Kubang"}
GOVERNMENT = {"Jadwal tanam padi", "Harga gambir naik", "Pupuk bersubsidi"}  # Dinas Pertanian's


@pytest.mark.parametrize("filters,talago_titles", [({}, TALAGO), ({"unread": True}, TALAGO - {"Jadwal tanam padi"}),
                                                   ({"since": date(2026, 11, 20)}, TALAGO),
                                                   ({"kind": "pemerintah"}, GOVERNMENT)])
def test_readers_of_two_kims_in_turns_each_see_their_own(app, world, filters, talago_titles):
    with app.app_context():
        tanam = db.session.scalar(db.select(Item).where(Item.title == "Jadwal tanam padi"))
        service.set_read(reader("dedi@example.id"), tanam, True)
        # Sarilamak also holds one of Talago's items, shared: the same item, read by nobody there
        sharing.share(tanam, get_kim("talago"), ["sarilamak"], actor=reader("dedi@example.id"))
        db.session.commit()
        service._page_statement.cache_clear()
        talago = every_page("talago", "dedi@example.id", **filters)
        sarilamak = every_page("sarilamak", "fitri@example.id", **filters)
        talago_again = every_page("talago", "dedi@example.id", **filters)
        assert service._page_statement.cache_info().hits > 0  # the statements were reused
        assert {title for title, _read in talago} == talago_titles and len(talago) == len(talago_titles)
        assert [read for title, read in talago] == [title == "Jadwal tanam padi" for title, _read in talago]
        assert talago_again == talago
        # Fitri: her KIM's source and the item shared with it, neither read by her
        assert sorted(sarilamak) == [("Jadwal tanam padi", False), ("Waspada longsor", False)]
        # each answer is what a statement built for that reader alone gives
        service._page_statement.cache_clear()
        assert every_page("sarilamak", "fitri@example.id", **filters) == sarilamak
        service._page_statement.cache_clear()
        assert every_page("talago", "dedi@example.id", **filters) == talago


def test_a_reused_statement_holds_no_reader_values(app, world):
    """Every value in a cached statement is a required parameter: run without them, it refuses."""
    with app.app_context():
        dialect = db.session.get_bind().dialect.name
        shape = service._shape(service.Filters(source_id=3, bidang="pertanian", unread=True, since=date(2026, 1, 1)))
        statement = service._page_statement(dialect, 51, True, shape)
        compiled = statement.compile(dialect=db.session.get_bind().dialect)
        named = {bind.key: bind for bind in compiled.binds.values() if not bind.unique}  # not a constant's
        assert set(named) == {"kim_id", "user_id", "f_source", "f_bidang", "since", "c_published", "c_id"}
        assert all(bind.required and bind.value is None for bind in named.values())
        with pytest.raises(Exception, match="kim_id|user_id|required"):
            db.session.execute(statement).all()


def test_the_sidebar_and_the_shared_marks_are_each_readers_own(app, world):
    """The sidebar's unread counts and the 'shared by' marks come from statements built once too."""
    with app.app_context():
        dedi, fitri = reader("dedi@example.id"), reader("fitri@example.id")
        tanam = db.session.scalar(db.select(Item).where(Item.title == "Jadwal tanam padi"))
        service.set_read(dedi, tanam, True)
        sharing.share(tanam, get_kim("talago"), ["sarilamak"], actor=dedi, note="Untuk Sarilamak")
        db.session.commit()
        talago, sarilamak = get_kim("talago"), get_kim("sarilamak")
        for _turn in range(2):
            assert {name: unread for _id, name, _b, unread in service.sidebar(talago, dedi)} == \
                {"Dinas Pertanian": 2, "Kabar Luak": 2}
            assert {name: unread for _id, name, _b, unread in service.sidebar(sarilamak, fitri)} == {"BPBD": 1}
            marks = {e.item.title: e.shared for e in service.timeline(sarilamak, fitri, service.Filters()).entries}
            assert marks["Jadwal tanam padi"].note == "Untuk Sarilamak" and marks["Waspada longsor"] is None
            assert all(e.shared is None for e in service.timeline(talago, dedi, service.Filters()).entries)
