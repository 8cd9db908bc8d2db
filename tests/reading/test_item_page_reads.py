"""The item page reads each thing it shows once: which of the reader's KIMs have the item (for
the share form, the checks and the disseminations alike), the item's flags (for the warning, the
flag list and the tree) and the reader's read state, however many KIMs the reader is in."""
import re

from hub.accounts import service as accounts
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Item, User
from hub.sharing import review
from hub.sharing import service as sharing
from tests.factories import login, make_kim, make_user, selects_during


def _reads(selects, table):
    return [s for s in selects if re.search(rf"\bFROM {table}\b", s)]


def test_the_item_page_reads_reach_flags_and_read_state_once(app, world):
    make_kim(app, "kubang", kecamatan="Guguak")
    make_user(app, "rina@example.id", kim="talago", role="pengurus")
    with app.app_context():  # Dedi is also in Sarilamak (which does not have the item) and Kubang
        dedi = db.session.scalar(db.select(User).where(User.email == "dedi@example.id"))
        for slug in ("sarilamak", "kubang"):
            accounts.set_membership(dedi, get_kim(slug), "anggota", actor=None)
        rina = db.session.scalar(db.select(User).where(User.email == "rina@example.id"))
        item = db.session.scalar(db.select(Item).where(Item.title == "Harga gambir naik"))
        sharing.share(item, get_kim("talago"), ["kubang"], actor=rina, note="untuk Kubang")
        review.flag(item, get_kim("talago"), actor=rina, kind="hoaks", reason="Foto lama")
        db.session.commit()
        item_id = item.id
    client = app.test_client()
    login(client, "dedi@example.id")
    unread = client.get(f"/item/{item_id}?keep=unread").get_data(as_text=True)
    assert "Tandai sudah dibaca" in unread and "Tandai belum dibaca" not in unread  # kept unread
    opened = client.get(f"/item/{item_id}").get_data(as_text=True)  # opened: marked read, and shown so
    assert "Tandai belum dibaca" in opened and "Tandai sudah dibaca" not in opened
    response, selects = selects_during(app, lambda: client.get(f"/item/{item_id}"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Tandai belum dibaca" in html
    assert len(_reads(selects, "read_state")) == 1, selects
    assert len(_reads(selects, "item_flag")) == 1, selects
    # the reader's KIMs that have it: Talago follows its source, Kubang received it
    reach = [s for s in selects if "subscription.kim_id" in s and "exchange.to_kim_id" in s]
    assert len(reach) == 1, selects
    share_from = re.search(r'<select id="from_kim" name="from_kim"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert 'value="talago"' in share_from and 'value="kubang"' in share_from
    assert 'value="sarilamak"' not in share_from
    # the standing flag reaches the share form (a warning), the flag list and the tree
    assert "Foto lama" in html
    assert 'name="as_warning" value="1"' in html
