"""Small feed documents for tests."""
from email.utils import format_datetime


def rss(items, title="Dinas Kominfo Lima Puluh Kota", ttl=None, link="https://kominfo.example.id/"):
    """items: dicts with title, link, guid, date (datetime or raw string), description."""
    parts = [f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
             f"<link>{link}</link>"]
    if ttl:
        parts.append(f"<ttl>{ttl}</ttl>")
    for item in items:
        parts.append("<item>")
        for key in ("title", "link", "guid", "description"):
            if item.get(key) is not None:
                value = item[key]
                if key == "description":
                    value = value.replace("&", "&amp;").replace("<", "&lt;")
                parts.append(f"<{key}>{value}</{key}>")
        date = item.get("date")
        if date is not None:
            parts.append(f"<pubDate>{date if isinstance(date, str) else format_datetime(date)}</pubDate>")
        for enclosure in item.get("enclosures", []):
            parts.append(f'<enclosure url="{enclosure[0]}" type="{enclosure[1]}" length="{enclosure[2]}"/>')
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def numbered(n, start=0, **extra):
    return [dict({"title": f"Berita {i}", "link": f"https://kominfo.example.id/berita/{i}",
                  "guid": f"berita-{i}", "description": f"<p>Isi berita {i}</p>"}, **extra)
            for i in range(start, start + n)]
