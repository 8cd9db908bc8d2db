"""Ringkasan WhatsApp: a ready-to-paste message from chosen items. No database, no Flask."""
from urllib.parse import quote

LINE = 140  # a one-line summary on a phone screen


def one_line(text, length=LINE):
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def _bold(title):
    # WhatsApp bolds *text*; asterisks inside would end it early
    return "*" + " ".join(title.replace("*", "").split()) + "*"


def summary(heading, entries):
    """entries: [(title, summary, link)] -> the message text."""
    parts = [_bold(heading), ""]
    for number, (title, text, link) in enumerate(entries, 1):
        parts.append(f"{number}. {_bold(title)}")
        line = one_line(text)
        if line and line != title:
            parts.append(line)
        parts.append(link)
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def share_link(text):
    """wa.me opens WhatsApp (app or web) with the text ready to send to anyone."""
    return "https://wa.me/?text=" + quote(text, safe="")
