"""An exchange tree shows its path to every KIM that holds the item, but a note or a decline
reason only to the KIMs on that branch (issue 10): Talago's word to Sarilamak is not Mungo's
to read, though Mungo got the same item from Talago separately."""
import pytest

from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Exchange, Item, User
from hub.sharing import service
from tests.factories import login, make_kim, make_user


def user(email):
    return db.session.scalar(db.select(User).where(User.email == email))


@pytest.fixture
def travelled(app, world):
    """Talago -> Sarilamak ("untuk Sarilamak"), Sarilamak -> Taram ("dari Sarilamak"),
    Talago -> Mungo ("untuk Mungo"), declined by Mungo ("sudah ada di grup")."""
    make_kim(app, "taram", kecamatan="Harau")
    make_kim(app, "mungo", kecamatan="Luak")
    make_user(app, "tari@example.id", kim="taram")
    make_user(app, "hendra@example.id", kim="mungo", role="pengurus")
    make_user(app, "koor@example.id", coordinator="kabupaten")
    with app.app_context():
        gambir = db.session.scalar(db.select(Item).where(Item.title == "Harga gambir naik"))
        first = service.share(gambir, get_kim("talago"), ["sarilamak"], actor=user("dedi@example.id"),
                              note="untuk Sarilamak").exchanges[0]
        service.share(gambir, get_kim("talago"), ["mungo"], actor=user("dedi@example.id"), note="untuk Mungo")
        db.session.commit()
        service.pass_on(first, ["taram"], actor=user("fitri@example.id"), note="dari Sarilamak")
        to_mungo = db.session.scalar(db.select(Exchange).where(Exchange.to_kim_id == get_kim("mungo").id))
        service.decline(to_mungo, "sudah ada di grup", actor=user("hendra@example.id"))
        db.session.commit()
        return gambir.id


NOTES = ("untuk Sarilamak", "dari Sarilamak", "untuk Mungo", "sudah ada di grup")


def notes_seen(app, email, item_id):
    """The notes this person reads, in the item page and in the API tree, which must agree."""
    client = app.test_client()
    login(client, email)
    page = client.get(f"/item/{item_id}").get_data(as_text=True)
    in_page = {n for n in NOTES if n in page}
    token = client.post("/api/v1/tokens", json={"email": email, "password": "rahasia-123"}).get_json()["token"]
    tree = client.get(f"/api/v1/items/{item_id}/exchanges", headers={"Authorization": f"Bearer {token}"}).get_json()

    def walk(nodes):
        for n in nodes:
            yield n
            yield from walk(n["children"])
    nodes = list(walk(tree["tree"]))
    assert len(nodes) == 3  # the whole path, for everyone
    in_api = {n["note"] for n in nodes if n["note"]} | {n["decline_reason"] for n in nodes if n["decline_reason"]}
    assert in_page == in_api, (in_page, in_api)
    assert all(n["note_visible"] == bool(n["note"] or n["decline_reason"]) for n in nodes)
    return in_page


def test_each_kim_reads_the_notes_of_its_own_branch(app, travelled):
    # Taram, at the end of Talago -> Sarilamak -> Taram: that branch's notes, not Mungo's
    assert notes_seen(app, "tari@example.id", travelled) == {"untuk Sarilamak", "dari Sarilamak"}
    # Mungo: its own exchange and its own decline only
    assert notes_seen(app, "hendra@example.id", travelled) == {"untuk Mungo", "sudah ada di grup"}
    # Sarilamak: the branch it is on
    assert notes_seen(app, "fitri@example.id", travelled) == {"untuk Sarilamak", "dari Sarilamak"}
    # Talago, at the root of both branches, and the coordinator overseeing them: everything
    assert notes_seen(app, "dedi@example.id", travelled) == set(NOTES)
    assert notes_seen(app, "koor@example.id", travelled) == set(NOTES)
