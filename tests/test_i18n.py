"""Bahasa Indonesia by default, English on request; every UI string translated; times in WIB."""
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from hub.timefmt import format_local
from tests.factories import csrf_token

ROOT = Path(__file__).resolve().parent.parent


def test_every_ui_string_has_an_indonesian_translation():
    method_map = [("hub/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "_l": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}
    extracted = {msg[2] if isinstance(msg[2], str) else msg[2][0]
                 for msg in extract_from_dir(str(ROOT), method_map, keywords=keywords)}
    with open(ROOT / "hub/translations/id/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog
                  if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    missing = sorted(extracted - translated)
    assert not missing, f"untranslated (run `make messages` and translate): {missing}"


def test_indonesian_by_default_and_english_on_switch(app, client):
    assert "Masuk" in client.get("/login").get_data(as_text=True)
    assert '<html lang="id">' in client.get("/").get_data(as_text=True)
    response = client.post("/lang", data={"csrf_token": csrf_token(client), "lang": "en", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Log in" in page and "Kata sandi" not in page
    client.post("/lang", data={"csrf_token": csrf_token(client), "lang": "xx"})  # unknown: ignored
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_times_in_wib():
    moment = datetime(2026, 11, 27, 9, 5, tzinfo=timezone.utc)
    assert format_local(moment, "Asia/Jakarta") == "27 November 2026, 16.05 WIB"
    assert format_local(moment, "Asia/Jakarta", "en") == "27 November 2026, 16:05 WIB"
    assert format_local(moment, "Asia/Makassar") == "27 November 2026, 17.05 WITA"
    assert format_local(datetime(2026, 8, 17, 0, 0, tzinfo=timezone.utc),
                        "Asia/Jakarta") == "17 Agustus 2026, 07.00 WIB"
