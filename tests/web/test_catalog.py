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


def test_relative_and_local_times_follow_the_page_language(app):
    """'ago', 'localtime' and 'localdate' say the language of the page being rendered: the
    context's (render_template_string runs the context processors) or, without it, the request's."""
    from datetime import date, timedelta

    from flask import render_template_string

    from hub.models.types import utcnow
    source = "{{ t|ago }}|{{ u|ago }}|{{ t|localtime }}|{{ d|localdate }}|{{ w|ago }}"
    values = {"t": utcnow() - timedelta(hours=3, minutes=5), "u": utcnow() - timedelta(days=800),
              "d": date(2026, 12, 2), "w": utcnow()}
    with app.test_request_context("/"):
        said = [render_template_string(source, **values), app.jinja_env.from_string(source).render(**values)]
        with force_locale("en"):
            said += [render_template_string(source, **values), app.jinja_env.from_string(source).render(**values)]
        said.append(render_template_string(source, **values))  # Indonesian again: nothing remembered crosses
    indonesian, english = said[0].split("|"), said[2].split("|")
    assert indonesian[0] == "3 jam yang lalu" and english[0] == "3 hours ago"
    assert indonesian[1] == "2 tahun yang lalu" and english[1] == "2 years ago"
    assert indonesian[2].endswith(" WIB") and "Desember" in indonesian[3] and "December" in english[3]
    assert indonesian[4] == "baru saja" and english[4] == "just now"
    assert said[1] == said[0] and said[3] == said[2] and said[4] == said[0]
