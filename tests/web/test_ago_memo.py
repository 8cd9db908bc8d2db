"""The 'ago' filter remembers what it said within one application context (a timeline page says
'3 jam yang lalu' many times): what it remembers is per language, so one reader's language never
reaches another's page, nor an e-mail rendered in another language in the worker's one long
context."""
from datetime import timedelta

from flask import render_template_string
from flask_babel import force_locale

from hub.models.types import utcnow


def test_the_same_age_is_said_in_each_language_asked_for(app):
    three_hours = utcnow() - timedelta(hours=3, minutes=5)
    with app.test_request_context("/"):  # one context, as in the worker
        said = []
        for lang in ("id", "en", "id", "en"):
            with force_locale(lang):
                said.append(render_template_string("{{ when|ago }}", when=three_hours))
    assert said[0] == said[2] and said[1] == said[3] and said[0] != said[1]
    assert "3" in said[0] and "3 hours ago" == said[1]


def test_each_request_has_its_own(app):
    one_day = utcnow() - timedelta(days=1, hours=1)
    with app.test_request_context("/", headers={"Cookie": ""}):
        with force_locale("en"):
            english = render_template_string("{{ when|ago }}", when=one_day)
    with app.test_request_context("/"):
        indonesian = render_template_string("{{ when|ago }}", when=one_day)
    assert english == "1 day ago" and indonesian != english and "1" in indonesian
