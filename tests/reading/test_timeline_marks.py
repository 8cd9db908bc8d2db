"""A timeline entry's marks, read for the whole page in one statement: 'shared by' only in the
timeline of the KIM it was shared with, and the first flag standing on the item (a withdrawn
one no longer)."""
import re

from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Item, User
from hub.sharing import review
from hub.sharing import service as sharing
from tests.factories import login, make_user, selects_during


def _user(email):
    return db.session.scalar(db.select(User).where(User.email == email))


def _entry(html, title):
    start = html.index(f">{title}</a>")
    return html[html.rindex('<li class="entry', 0, start):html.index("</li>", start)]


def test_marks_say_who_shared_it_here_and_the_first_standing_flag(app, world):
    make_user(app, "rina@example.id", kim="talago", role="pengurus")
    make_user(app, "sari@example.id", kim="sarilamak", role="pengurus")
    with app.app_context():
        item = db.session.scalar(db.select(Item).where(Item.title == "Waspada longsor"))
        sharing.share(item, get_kim("sarilamak"), ["talago"], actor=_user("sari@example.id"),
                      note="Siaga <b>di</b> Harau")
        db.session.commit()
        item_id = item.id
    dedi, fitri = app.test_client(), app.test_client()
    login(dedi, "dedi@example.id")
    login(fitri, "fitri@example.id")
    here = _entry(dedi.get("/linimasa").get_data(as_text=True), "Waspada longsor")
    assert 'class="shared-mark"' in here and "Siaga &lt;b&gt;di&lt;/b&gt; Harau" in here
    assert 'class="flag-mark"' not in here
    # Sarilamak sent it: no 'shared by' in its own timeline
    assert 'class="shared-mark"' not in _entry(fitri.get("/linimasa").get_data(as_text=True), "Waspada longsor")
    with app.app_context():
        item = db.session.get(Item, item_id)
        first, _warned = review.flag(item, get_kim("sarilamak"), actor=_user("sari@example.id"), kind="hoaks",
                            reason="Foto banjir tahun lalu")
        review.flag(item, get_kim("talago"), actor=_user("rina@example.id"), kind="misleading",
                    reason="Lokasi salah")
        db.session.commit()
        first_id = first.id
    for client in (dedi, fitri):
        html = client.get("/linimasa").get_data(as_text=True)
        entry = _entry(html, "Waspada longsor")
        assert re.search(r'class="flag-mark">[^<]*: Foto banjir tahun lalu \(KIM sarilamak\)', entry), entry
        assert "Lokasi salah" not in entry
    with app.app_context():
        review.withdraw_flag(review.get_flag(first_id), actor=_user("sari@example.id"))
        db.session.commit()
    response, selects = selects_during(app, lambda: dedi.get("/linimasa"))
    entry = _entry(response.get_data(as_text=True), "Waspada longsor")
    assert "Lokasi salah (KIM talago)" in entry and "Foto banjir" not in entry
    assert 'class="shared-mark"' in entry
    # both marks in one statement: no statement of its own for the flags or the shares
    assert len([s for s in selects if "FROM item_flag" in s]) == 1, selects
    others = [s for s in selects if "FROM exchange" in s and "item_flag" not in s]
    assert all("count" in s or "part0" in s for s in others), others  # the menu's counts, the page
