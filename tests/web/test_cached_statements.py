"""Statements every request runs are built once and reused with their values as required
parameters: the login session's lookup, the API token's, the menu's counts. Two people in turns
each get their own."""
import re

from hub.accounts.service import create_token
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Item, User
from hub.sharing import service as sharing
from tests.factories import login


def inbox_count(html):
    nav = html[html.index('aria-label="Utama"'):html.index("</nav>")]
    found = re.search(r'/inbox">[^<]*(?:<span class="count">(\d+)</span>)?', nav)
    return int(found.group(1) or 0)


def test_two_members_in_turns_each_see_their_own_session_and_counts(app, world):
    with app.app_context():
        dedi = db.session.scalar(db.select(User).where(User.email == "dedi@example.id"))
        fitri = db.session.scalar(db.select(User).where(User.email == "fitri@example.id"))
        longsor = db.session.scalar(db.select(Item).where(Item.title == "Waspada longsor"))
        sharing.share(longsor, get_kim("sarilamak"), ["talago"], actor=fitri)  # waits in Talago's inbox
        db.session.commit()
        assert dedi.id != fitri.id
    dedi_client, fitri_client = app.test_client(), app.test_client()
    login(dedi_client, "dedi@example.id")
    login(fitri_client, "fitri@example.id")
    for _turn in range(3):
        mine = dedi_client.get("/linimasa").get_data(as_text=True)
        theirs = fitri_client.get("/linimasa").get_data(as_text=True)
        assert "Jadwal tanam padi" in mine and "Jadwal tanam padi" not in theirs
        assert "Waspada longsor" in theirs
        assert inbox_count(mine) == 1 and inbox_count(theirs) == 0


def test_two_api_tokens_in_turns_each_read_their_own_kim(app, world):
    with app.app_context():
        tokens = {}
        for email in ("dedi@example.id", "fitri@example.id"):
            _row, tokens[email] = create_token(db.session.scalar(db.select(User).where(User.email == email)), "t")
        db.session.commit()
    client = app.test_client()
    for _turn in range(3):
        talago = client.get("/api/v1/timeline", headers={"Authorization": f"Bearer {tokens['dedi@example.id']}"})
        sarilamak = client.get("/api/v1/timeline", headers={"Authorization": f"Bearer {tokens['fitri@example.id']}"})
        assert talago.json["kim"] == "talago" and sarilamak.json["kim"] == "sarilamak"
        assert {i["title"] for i in sarilamak.json["items"]} == {"Waspada longsor"}
        assert "Jadwal tanam padi" in {i["title"] for i in talago.json["items"]}
