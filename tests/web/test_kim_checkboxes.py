"""The share form's KIM checkboxes, built in Python (hub.web.util.kim_checkboxes): escaped as the
template escaped them, grouped by kecamatan, the chosen ones ticked."""
from types import SimpleNamespace

from hub.extensions import db
from hub.kims.service import Directory
from hub.models import Item
from hub.web.util import KimPicker, kim_checkboxes, select_options
from tests.factories import login, make_kim


def test_names_are_escaped_and_chosen_ones_ticked():
    kim = SimpleNamespace
    groups = [("Guguak <b>", [kim(id=1, slug="a", name="KIM <script>x</script>"), kim(id=2, slug='b"', name="B")])]
    html = str(kim_checkboxes(KimPicker(Directory("", groups, [], [], {})), ["a"]))
    assert "<script>" not in html and "&lt;script&gt;" in html and "Guguak &lt;b&gt;" in html
    assert '<input type="checkbox" name="kims" value="a" checked>' in html
    assert 'value="b&#34;">' in html  # an attribute cannot be closed by a slug
    assert html.count("<fieldset") == html.count("</fieldset>") == 1


def dedi_and_gambir(app):
    """Dedi (of Talago) logged in, and the id of an item his KIM has."""
    client = app.test_client()
    login(client, "dedi@example.id")
    with app.app_context():
        return client, db.session.scalar(db.select(Item.id).where(Item.title == "Harga gambir naik"))


def test_the_item_page_offers_every_other_kim_by_kecamatan(app, world):
    make_kim(app, "koto-tinggi", name="KIM Koto <i>Tinggi</i>", kecamatan="Gunuang Omeh")
    client, item_id = dedi_and_gambir(app)
    html = client.get(f"/item/{item_id}").get_data(as_text=True)
    picker = html[html.index('class="kim-groups"'):]
    picker = picker[:picker.index("</div>")]
    assert '<legend>Gunuang Omeh</legend><label class="check"><input type="checkbox" name="kims" ' \
           'value="koto-tinggi"> KIM Koto &lt;i&gt;Tinggi&lt;/i&gt;</label>' in picker
    assert 'name="kims" value="sarilamak"' in picker and 'value="talago"' not in picker  # not to itself


def test_select_options_are_escaped_and_the_chosen_one_selected():
    html = str(select_options([("a", "KIM <script>x</script>"), ('b"', "B & C")], 'b"'))
    assert html == ('<option value="a">KIM &lt;script&gt;x&lt;/script&gt;</option>'
                    '<option value="b&#34;" selected>B &amp; C</option>')
    assert str(select_options([("a", "A")], None)) == '<option value="a">A</option>'


def test_the_inbox_filters_by_every_other_kim(app, world):
    make_kim(app, "koto-tinggi", name="KIM Koto <i>Tinggi</i>", kecamatan="Gunuang Omeh")
    client = app.test_client()
    login(client, "dedi@example.id")
    html = client.get("/kim/talago/inbox?kim=koto-tinggi").get_data(as_text=True)
    picker = html[html.index('<select name="kim">'):]
    picker = picker[:picker.index("</select>")]
    assert '<option value="koto-tinggi" selected>KIM Koto &lt;i&gt;Tinggi&lt;/i&gt;</option>' in picker
    assert '<option value="sarilamak">' in picker and 'value="talago"' not in picker  # not itself


def test_the_share_forms_follow_the_directory_and_each_leaves_out_its_own_kim(app, world):
    """What the share forms build from the directory is kept while it is the same, never shown
    for another KIM's form (each leaves out its own sender), and built again once a KIM is
    renamed, added or made inactive."""
    from hub.kims import service as kims
    from hub.models import Kim
    from tests.factories import make_user
    make_user(app, "fitri2@example.id", kim="sarilamak")
    with app.app_context():
        item_id = db.session.scalar(db.select(Item.id).where(Item.title == "Waspada longsor"))
        gambir = db.session.scalar(db.select(Item.id).where(Item.title == "Harga gambir naik"))
    dedi, fitri = app.test_client(), app.test_client()
    login(dedi, "dedi@example.id")
    login(fitri, "fitri2@example.id")

    def picker(client, item):
        html = client.get(f"/item/{item}").get_data(as_text=True)
        part = html[html.index('class="kim-groups"'):]
        return part[:part.index("</div>")]
    for _ in range(2):  # the second time from what the first built
        talago, sarilamak = picker(dedi, gambir), picker(fitri, item_id)
        assert 'value="sarilamak"' in talago and 'value="talago"' not in talago
        assert 'value="talago"' in sarilamak and 'value="sarilamak"' not in sarilamak
    with app.app_context():
        first = kims.directory()
        assert kims.directory() is first and first.built  # kept while the KIMs are the same
        db.session.scalar(db.select(Kim).where(Kim.slug == "sarilamak")).name = "KIM Sarilamak Baru"
        db.session.commit()
    assert "KIM Sarilamak Baru" in picker(dedi, gambir)
    make_kim(app, "koto-baru", name="KIM Koto Baru", kecamatan="Harau")
    assert 'value="koto-baru"> KIM Koto Baru' in picker(dedi, gambir)
    with app.app_context():
        db.session.scalar(db.select(Kim).where(Kim.slug == "koto-baru")).active = False
        db.session.commit()
    assert "koto-baru" not in picker(dedi, gambir)


def test_a_former_kim_stays_in_the_inbox_filter_and_leaves_the_share_form(app, world):
    """Exchanges with a KIM made inactive are still filtered by it; nothing is shared to it."""
    from hub.models import Kim
    make_kim(app, "koto-lamo", name="KIM Koto Lamo", kecamatan="Harau")
    client, item_id = dedi_and_gambir(app)
    assert 'value="koto-lamo"' in client.get(f"/item/{item_id}").get_data(as_text=True)
    with app.app_context():
        db.session.scalar(db.select(Kim).where(Kim.slug == "koto-lamo")).active = False
        db.session.commit()
    inbox = client.get("/kim/talago/inbox").get_data(as_text=True)
    assert '<option value="koto-lamo">KIM Koto Lamo</option>' in inbox
    assert 'value="koto-lamo"' not in client.get(f"/item/{item_id}").get_data(as_text=True)
