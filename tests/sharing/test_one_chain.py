"""Sharing and passing on are one chain (issue 11): a KIM that shares onward an item it received,
from the item page or through the API, passes it on: the new exchanges hang under the one it
came by, and that exchange becomes passed_on."""
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Exchange, Item, User
from hub.sharing import service
from tests.factories import login, make_kim, make_user, post


def setup_chain(app):
    make_kim(app, "taram", kecamatan="Harau")
    make_kim(app, "mungo", kecamatan="Luak")
    make_user(app, "tari@example.id", kim="taram")
    with app.app_context():
        gambir = db.session.scalar(db.select(Item).where(Item.title == "Harga gambir naik"))
        dedi = db.session.scalar(db.select(User).where(User.email == "dedi@example.id"))
        first = service.share(gambir, get_kim("talago"), ["sarilamak"], actor=dedi, note="untuk Sarilamak").exchanges[0]
        db.session.commit()
        return gambir.id, first.id


def chain(app, item_id):
    with app.app_context():
        return {(e.from_kim.slug, e.to_kim.slug): (e.parent_id, e.status, e.id) for e in
                db.session.scalars(db.select(Exchange).where(Exchange.item_id == item_id))}


def test_sharing_a_received_item_through_the_api_passes_it_on(app, world):
    item_id, first_id = setup_chain(app)
    client = app.test_client()
    token = client.post("/api/v1/tokens", json={"email": "fitri@example.id", "password": "rahasia-123"}).get_json()
    headers = {"Authorization": f"Bearer {token['token']}"}
    response = client.post(f"/api/v1/items/{item_id}/shares", headers=headers,
                           json={"from_kim": "sarilamak", "to": ["taram"], "note": "teruskan"})
    assert response.status_code == 201, response.get_json()
    links = chain(app, item_id)
    assert links[("talago", "sarilamak")][:2] == (None, "passed_on")
    assert links[("sarilamak", "taram")][:2] == (first_id, "sent")
    # shared again later: it hangs under the same exchange, which stays passed_on
    assert client.post(f"/api/v1/items/{item_id}/shares", headers=headers,
                       json={"from_kim": "sarilamak", "to": ["mungo"]}).status_code == 201
    links = chain(app, item_id)
    assert links[("sarilamak", "mungo")][0] == first_id and links[("talago", "sarilamak")][1] == "passed_on"


def test_sharing_a_received_item_from_its_page_passes_it_on(app, world):
    item_id, first_id = setup_chain(app)
    fitri = app.test_client()
    login(fitri, "fitri@example.id")
    response = post(fitri, f"/item/{item_id}/share", {"from_kim": "sarilamak", "target": "kims", "kims": "taram",
                                                      "note": ""})
    assert response.status_code == 302
    links = chain(app, item_id)
    assert links[("sarilamak", "taram")][0] == first_id
    assert links[("talago", "sarilamak")][1] == "passed_on"
    page = fitri.get(f"/item/{item_id}").get_data(as_text=True)
    first, then = "KIM talago</strong> → <strong>KIM sarilamak", "KIM sarilamak</strong> → <strong>KIM taram"
    assert page.index(then) > page.index(first)
