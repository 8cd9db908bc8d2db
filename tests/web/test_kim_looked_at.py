"""A member of several KIMs reaches the inbox of the KIM they are looking at (issue 11)."""
import re

from hub.accounts import service as accounts
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Item, User
from hub.sharing import service as sharing
from tests.factories import login


def inbox_link(html):
    nav = html[html.index('aria-label="Utama"'):]
    return re.search(r'href="(/kim/[^"]+/inbox)"', nav).group(1)


def test_the_inbox_link_follows_the_kim_looked_at(app, world):
    with app.app_context():
        dedi = db.session.scalar(db.select(User).where(User.email == "dedi@example.id"))
        accounts.set_membership(dedi, get_kim("sarilamak"), "anggota", actor=None)  # Dedi is in both
        fitri = db.session.scalar(db.select(User).where(User.email == "fitri@example.id"))
        longsor = db.session.scalar(db.select(Item).where(Item.title == "Waspada longsor"))
        sharing.share(longsor, get_kim("sarilamak"), ["talago"], actor=fitri)  # one waits in Talago's inbox
        db.session.commit()
    client = app.test_client()
    login(client, "dedi@example.id")
    assert inbox_link(client.get("/linimasa?kim=sarilamak").get_data(as_text=True)) == "/kim/sarilamak/inbox"
    # remembered: the timeline and every page after it stay with Sarilamak
    assert inbox_link(client.get("/kim/").get_data(as_text=True)) == "/kim/sarilamak/inbox"
    page = client.get("/linimasa").get_data(as_text=True)
    assert '<option value="sarilamak" selected>' in page
    # Sarilamak's inbox points to Talago's, where one exchange waits
    inbox = client.get("/kim/sarilamak/inbox").get_data(as_text=True)
    assert re.search(r'href="/kim/talago/inbox">KIM talago</a> <span class="count">1</span>', inbox)
    assert inbox_link(client.get("/kim/talago/inbox").get_data(as_text=True)) == "/kim/talago/inbox"
    assert inbox_link(client.get("/linimasa").get_data(as_text=True)) == "/kim/talago/inbox"
