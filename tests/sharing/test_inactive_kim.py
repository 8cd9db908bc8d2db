"""A member of a deactivated KIM can no longer act for it: no share, pass-on, post, check or
dissemination as that KIM (issue 10: a member could still share as it)."""
import pytest

from hub.errors import Forbidden
from hub.extensions import db
from hub.kims import service as kims
from hub.kims.service import get_kim
from hub.models import Item
from hub.sharing import review
from hub.sharing import service as sharing
from tests.sharing.test_exchanges import user


def test_no_one_acts_for_a_deactivated_kim(app, world):
    client = app.test_client()
    token = client.post("/api/v1/tokens", json={"email": "dedi@example.id", "password": "rahasia-123"}).get_json()
    with app.app_context():
        item_id = db.session.scalar(db.select(Item.id).where(Item.title == "Harga gambir naik"))
        kims.set_kim_active(get_kim("talago"), False, actor=None)
        db.session.commit()
    response = client.post(f"/api/v1/items/{item_id}/shares", headers={"Authorization": f"Bearer {token['token']}"},
                           json={"from_kim": "talago", "to": ["sarilamak"]})
    assert response.status_code in (403, 404)
    with app.app_context():
        item = db.session.get(Item, item_id)
        with pytest.raises(Forbidden):
            sharing.share(item, get_kim("talago"), ["sarilamak"], actor=user("dedi@example.id"))
        with pytest.raises(Forbidden):
            review.disseminate(item, get_kim("talago"), actor=user("dedi@example.id"), channel="papan")
        assert db.session.scalar(db.select(db.func.count()).select_from(db.text("exchange"))) == 0
