"""Feed formats beyond the corpus: JSON Feed, Atom 0.3, RSS 0.91, xml:base, encodings, XXE."""
from datetime import datetime, timezone

import pytest

from hub.aggregation.parse import NotAFeed, parse
from hub.aggregation.prepare import prepare

NOW = datetime(2026, 11, 27, tzinfo=timezone.utc)


def test_json_feed():
    body = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "KIM Mungo", "home_page_url": "https://mungo.example.id/",
      "items": [{"id": "1", "url": "/berita/1", "title": "Sapi sehat", "content_html": "<p>Vaksin <b>gratis</b></p>",
                 "date_published": "2026-11-01T08:00:00+07:00", "authors": [{"name": "Hendra"}],
                 "attachments": [{"url": "/a.pdf", "mime_type": "application/pdf", "size_in_bytes": 10}]},
                {"id": "2", "content_text": "Tanpa judul <script>", "date_published": "Senin, 3 November 2025 09:00 WIB"}]}"""
    feed = prepare(body, "https://mungo.example.id/feed.json", "application/feed+json", NOW)
    assert feed.kind == "json" and feed.title == "KIM Mungo"
    first, second = feed.items
    assert first["url"] == "https://mungo.example.id/berita/1" and first["author"] == "Hendra"
    assert first["published_at"] == datetime(2026, 11, 1, 1, 0, tzinfo=timezone.utc)
    assert first["enclosures"] == [{"url": "https://mungo.example.id/a.pdf", "type": "application/pdf", "length": 10}]
    assert second["title"] == "Tanpa judul <script>" and "<script>" not in second["content"]


def test_atom_03():
    body = b"""<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Lama</title>
      <entry><title>Entri lama</title><link rel="alternate" type="text/html" href="http://x.id/1"/><id>tag:x,1</id>
      <issued>2004-01-01T00:00:00Z</issued><modified>2004-01-02T00:00:00Z</modified></entry></feed>"""
    feed = parse(body, "http://x.id/feed")
    assert feed.parser == "feedparser" and [e.title for e in feed.entries] == ["Entri lama"]
    assert feed.entries[0].link == "http://x.id/1"


def test_rss_091_and_relative_links_with_xml_base():
    body = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>Lama</title><link>http://x.id/</link>
      <item xml:base="http://x.id/arsip/"><title>Satu</title><link>satu.html</link><description>&lt;a href="dua.html"&gt;dua&lt;/a&gt;</description></item>
      </channel></rss>"""
    feed = prepare(body, "http://x.id/rss", "", NOW)
    [item] = feed.items
    assert item["url"] == "http://x.id/arsip/satu.html"
    assert 'href="http://x.id/arsip/dua.html"' in item["content"]


def test_wrong_encoding_declaration_falls_back():
    body = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Caf\xe9</title><item><title>Kop\xed</title></item></channel></rss>'.encode("latin-1")
    feed = parse(body, "http://x.id/")
    assert feed.parser == "feedparser" and len(feed.entries) == 1 and feed.entries[0].title.startswith("Kop")


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("RAHASIA")
    body = f"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>
      <rss version="2.0"><channel><title>t</title><item><title>&x;</title><guid>1</guid></item></channel></rss>""".encode()
    feed = parse(body, "http://x.id/")
    assert all("RAHASIA" not in e.title for e in feed.entries)


@pytest.mark.parametrize("body,what", [(b"", "empty"), (b"  \n", "empty"), (b"<!DOCTYPE html><html></html>", "html"),
                                       (b'<?xml version="1.0"?><opml version="2.0"><body/></opml>', "opml"),
                                       (b'{"not": "a feed"}', "other")])
def test_not_feeds(body, what):
    with pytest.raises(NotAFeed) as info:
        parse(body, "http://x.id/")
    assert info.value.what == what


def test_sanitizing_is_deterministic_and_images_are_lazy():
    from hub.aggregation.clean import sanitize
    html = '<p><IMG SRC="a.jpg" width="10" loading="eager" onerror="x()"></p>'
    outputs = {sanitize(html, "http://x.id/") for _ in range(30)}
    assert outputs == {'<p><img loading="lazy" decoding="async" src="http://x.id/a.jpg" width="10"></p>'}


def test_entry_content_is_capped_and_stays_well_formed():
    from datetime import datetime, timezone

    from hub.aggregation.prepare import MAX_CONTENT, prepare
    paragraph = "<p>Warga Jorong Koto bergotong royong membersihkan saluran irigasi.</p>"
    body = ("<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><item><guid>1</guid>"
            "<title>Panjang</title><description><![CDATA[<div>" + paragraph * 20000 + "</div>]]></description>"
            "</item></channel></rss>").encode()
    assert len(body) > 1_000_000  # over a megabyte of HTML in one entry
    feed = prepare(body, "https://kim.example.id/feed", "application/rss+xml", datetime.now(timezone.utc))
    content = feed.items[0]["content"]
    assert len(content) <= MAX_CONTENT + 1000
    assert content.count("<p>") == content.count("</p>") and content.endswith("</p>")  # cut, then closed
