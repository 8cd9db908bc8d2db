"""Outgoing feeds: each KIM, each kecamatan and the whole network publish their posts and the
items they disseminated as Atom 1.0, RSS 2.0 and JSON Feed 1.1, with ETag and Last-Modified so
a follower's conditional GET costs a 304."""
import hashlib
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, make_response, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape
from werkzeug.http import is_resource_modified

from ..extensions import db
from ..kims.service import kecamatan_names
from ..models import Kim
from ..posts.publication import entries, version
from ..text import slugify
from ..urls import public_base_url
from ..vocabulary import BIDANG
from .render import RENDERERS, TYPES, Feed, FeedEntry

bp = Blueprint("feeds", __name__)
FORMATS = "any(atom, rss, json)"


def _host():
    return urlsplit(public_base_url()).hostname or "localhost"


def _entry(e):
    item = e.item
    ident = item.guid if e.is_post else f"tag:{_host()},{item.fetched_at:%Y-%m-%d}:item/{item.id}"
    content = item.content or ""
    if not e.is_post and e.source_title:
        # the source's title is text (an entity-encoded '<img onerror>' in it must stay text)
        content += f"<p>{escape(_('Source'))}: {escape(e.source_title)}</p>" if content else ""
    return FeedEntry(id=ident, url=item.url, title=item.title,
                     content_html=content, summary=item.summary, published=e.at, updated=max(e.at, item.updated_at),
                     author=e.kim.name, categories=[str(BIDANG[e.bidang])] if e.bidang in BIDANG else [])


def _validators(fmt, scope, stamp):
    """(ETag, Last-Modified) of a feed: its format, the address it is read at and the
    publication version of what it covers (`stamp`: (version..., changed_at))."""
    *counts, changed_at = stamp
    tag = "|".join(map(str, (fmt, request.host_url, scope, *counts, changed_at and changed_at.isoformat())))
    return hashlib.sha256(tag.encode()).hexdigest()[:32], changed_at


def _unchanged(etag, updated):
    """The entity tag to answer a 304 with, if the follower's copy is current; else None.

    Flask-Compress gives a compressed answer the tag '<etag>:<encoding>' (a strong tag names one
    representation), so that is the tag a follower sends back: it names the same feed. Compared
    only with our own tag, it never matched, and every 'conditional' GET rendered and compressed
    the whole feed again (Flask-Compress then turned it into a 304, or, for a follower that had
    stopped asking for compression, a full 200)."""
    if request.if_none_match:  # it takes precedence over If-Modified-Since (RFC 9110 13.1.3)
        tags = [etag, *(f"{etag}:{algorithm}" for algorithm in current_app.config["COMPRESS_ALGORITHM"])]
        return next((tag for tag in tags if request.if_none_match.contains_weak(tag)), None)
    return etag if not is_resource_modified(request.environ, last_modified=updated) else None


def _respond(fmt, feed_id, title, subtitle, home_url, endpoint, kim_ids, stamp, **args):
    """The feed, or a 304 when the follower's copy is current. `stamp` is the publication version
    of what it covers (hub.posts.publication), read before its entries: a change in between makes
    the next conditional GET a 200, never a 304 for an older feed."""
    etag, changed_at = _validators(fmt, feed_id, stamp)
    if request.if_none_match or request.if_modified_since:  # only a conditional GET can be a 304
        matched = _unchanged(etag, changed_at)
        if matched:
            response = make_response("", 304)
            response.set_etag(matched)
            return response
    found = entries(kim_ids)
    updated = max((max(e.at, e.item.updated_at) for e in found), default=None)
    with force_locale("id"):  # feeds are read by programs and people alike: the hub's language
        feed = Feed(id=feed_id, title=title, subtitle=subtitle, home_url=home_url,
                    self_url=url_for(endpoint, fmt=fmt, _external=True, **args),
                    alternates={f: url_for(endpoint, fmt=f, _external=True, **args) for f in RENDERERS},
                    updated=updated, entries=[_entry(e) for e in found])
        body = RENDERERS[fmt](feed)
    response = make_response(body)
    response.mimetype = TYPES[fmt]
    response.charset = "utf-8"
    response.set_etag(etag)
    if changed_at:
        response.last_modified = changed_at
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"  # feed readers in the browser
    return response


@bp.route(f"/feed.<{FORMATS}:fmt>")
def network(fmt):
    kabupaten = current_app.config.get("HUB_KABUPATEN") or "Jejaring KIM"
    return _respond(fmt, f"tag:{_host()},2026:network", f"Jejaring KIM {kabupaten}",
                    "Berita dan informasi yang diteruskan KIM", url_for("main.home", _external=True),
                    "feeds.network", None, version())


@bp.route(f"/kim/<slug>/feed.<{FORMATS}:fmt>")
def kim(slug, fmt):
    # the version as columns of the row: fresh even where the session already holds the KIM
    row = db.session.execute(db.select(Kim, Kim.feed_version, Kim.feed_changed_at)
                             .where(Kim.slug == slug, Kim.active.is_(True))).first()
    if row is None:
        abort(404)
    found, *stamp = row
    return _respond(fmt, f"tag:{_host()},2026:kim/{found.id}", found.name,
                    found.description[:300] or f"KIM {found.nagari}, {found.kecamatan}",
                    url_for("kims.profile", slug=found.slug, _external=True), "feeds.kim",
                    [found.id], stamp, slug=found.slug)


@bp.route(f"/kecamatan/<kecamatan_slug>/feed.<{FORMATS}:fmt>")
def kecamatan(kecamatan_slug, fmt):
    names = [n for n in kecamatan_names() if slugify(n) == kecamatan_slug]
    if not names:
        abort(404)
    ids = list(db.session.scalars(db.select(Kim.id).where(Kim.active.is_(True), Kim.kecamatan.in_(names))))
    return _respond(fmt, f"tag:{_host()},2026:kecamatan/{kecamatan_slug}", f"KIM Kecamatan {names[0]}",
                    f"Berita KIM di Kecamatan {names[0]}",
                    url_for("kims.kecamatan", kecamatan_slug=kecamatan_slug, _external=True),
                    "feeds.kecamatan", ids, version(ids), kecamatan_slug=kecamatan_slug)
