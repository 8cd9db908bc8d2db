"""The templates' remembered translations (hub.web.i18n.Catalog) follow the language of each
page: a message remembered in one language is never shown in another."""
from flask_babel import force_locale

from tests.factories import login

TEMPLATE = ("{{ _('Save') }}|{{ _('Shared by %(kim)s', kim=who) }}|"
            "{{ ngettext('%(num)d item', '%(num)d items', n) }}")


def test_remembered_messages_keep_each_language_apart(app):
    with app.test_request_context("/"):
        template = app.jinja_env.from_string(TEMPLATE)
        said = [template.render(who="<b>KIM</b>", n=n) for n in (1, 3)]
        with force_locale("en"):
            said += [template.render(who="<b>KIM</b>", n=n) for n in (1, 3)]
        said.append(template.render(who="KIM Talago", n=1))
    assert said == ["Simpan|Dibagikan oleh &lt;b&gt;KIM&lt;/b&gt;|1 butir",
                    "Simpan|Dibagikan oleh &lt;b&gt;KIM&lt;/b&gt;|3 butir",
                    "Save|Shared by &lt;b&gt;KIM&lt;/b&gt;|1 item",
                    "Save|Shared by &lt;b&gt;KIM&lt;/b&gt;|3 items",
                    "Simpan|Dibagikan oleh KIM Talago|1 butir"]


def test_a_member_switching_language_sees_the_timeline_in_the_new_one(app, world):
    from tests.factories import post
    client = app.test_client()
    login(client, "dedi@example.id")
    assert "Tandai sudah dibaca" in client.get("/linimasa").get_data(as_text=True)
    post(client, "/lang", {"lang": "en", "next": "/linimasa"})
    english = client.get("/linimasa").get_data(as_text=True)
    assert "Mark read" in english and "Tandai sudah dibaca" not in english
    post(client, "/lang", {"lang": "id", "next": "/linimasa"})
    assert "Tandai sudah dibaca" in client.get("/linimasa").get_data(as_text=True)
