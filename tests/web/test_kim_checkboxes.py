"""The share form's KIM checkboxes, built in Python (hub.web.util.kim_checkboxes): escaped as the
template escaped them, grouped by kecamatan, the chosen ones ticked."""
from types import SimpleNamespace

from hub.extensions import db
from hub.models import Item
from hub.web.util import kim_checkboxes, select_options
from tests.factories import login, make_kim


def test_names_are_escaped_and_chosen_ones_ticked():
    kim = SimpleNamespace
    groups = [("Guguak <b>", [kim(slug="a", name="KIM <script>x</script>"), kim(slug='b"', name="B")])]
    html = str(kim_checkboxes(groups, ["a"]))
    assert "<script>" not in html and "&lt;script&gt;" in html and "Guguak &lt;b&gt;" in html
    assert '<input type="checkbox" name="kims" value="a" checked>' in html
    assert 'value="b&#34;">' in html  # an attribute cannot be closed by a slug
    assert html.count("<fieldset") == html.count("</fieldset>") == 1


def test_the_item_page_offers_every_other_kim_by_kecamatan(app, world):
    make_kim(app, "koto-tinggi", name="KIM Koto <i>Tinggi</i>", kecamatan="Gunuang Omeh")
    client = app.test_client()
    login(client, "dedi@example.id")
    with app.app_context():
        item_id = db.session.scalar(db.select(Item.id).where(Item.title == "Harga gambir naik"))
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
