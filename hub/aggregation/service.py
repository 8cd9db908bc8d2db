"""Subscriptions: a KIM follows a source (one row per feed URL, shared by every KIM)."""
import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..errors import Conflict, Invalid, NotFound
from ..events import record_event
from ..extensions import db, get_or_refuse
from ..models import Kim, Source, Subscription, utcnow
from ..text import slugify
from ..vocabulary import BIDANG, SOURCE_KINDS
from .opml import OpmlError, export_opml, parse_opml


def guess_kind(url: str, title: str = "") -> str:
    """A sensible kind for a new source, from its address and the title its feed gives:
    government addresses (go.id, desa.id) are Pemerintah, a KIM's own site is KIM, known news
    words are Media; anything else Lainnya. The officer can change it before saving."""
    host = (urlsplit(url).hostname or "").lower()
    words = set(re.findall(r"[a-z]+", f"{host} {title}".lower()))
    if host.endswith((".go.id", ".desa.id")) or words & {"dinas", "pemkab", "pemprov", "pemda", "kominfo", "bpbd"}:
        return "pemerintah"
    if "kim" in words or (host and db.session.scalar(select(Kim.id).where(
            Kim.website.contains(host) | Kim.feed_url.contains(host)).limit(1)) is not None):
        return "kim"
    if words & {"news", "berita", "media", "pos", "post", "times", "tribun", "kompas", "antara", "radio", "tv",
                "koran", "harian", "detik", "tempo", "republika", "liputan"}:
        return "media"
    return "lainnya"


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_OTHER_SCHEME = re.compile(r"^(javascript|data|vbscript|file|mailto|tel|about|blob):", re.IGNORECASE)


def normalize_url(url: str) -> str:
    """A canonical http(s) URL (lowercase scheme and host, no fragment), or Invalid."""
    url = (url or "").strip()
    if url and not _SCHEME.match(url) and not _OTHER_SCHEME.match(url):
        url = "https://" + url  # 'kominfo.limapuluhkotakab.go.id/feed' means https
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises on a port that is no number
    except ValueError:
        parts = None
    if (parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname
            or len(url) > 2048 or any(c.isspace() for c in url)):
        raise Invalid(_l("Enter a web address starting with http:// or https://."), field="url")
    netloc = parts.netloc.lower() if "@" not in parts.netloc else None
    if netloc is None:
        raise Invalid(_l("Addresses with a user name or password are not accepted."), field="url")
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def check_bidang(bidang):
    if bidang not in BIDANG:
        raise Invalid(_l("Choose a bidang from the list."), field="bidang")
    return bidang


def check_kind(kind):
    if kind not in SOURCE_KINDS:
        raise Invalid(_l("Choose a kind of source from the list."), field="kind")
    return kind


def source_for_url(url, *, kind="lainnya", title=""):
    """The one Source row for this URL, created if new (flushes, does not commit)."""
    source = db.session.scalar(select(Source).where(Source.url == url))
    if source is None:
        source = Source(url=url, kind=kind, title=(title or "")[:500])
        db.session.add(source)
        db.session.flush()
    return source


def subscribe(kim, url, *, bidang="umum", kind="lainnya", title="", actor=None):
    """The KIM follows the feed at url; refused if it already does."""
    url = normalize_url(url)
    check_bidang(bidang)
    check_kind(kind)
    source = source_for_url(url, kind=kind, title=title)
    if db.session.scalar(select(Subscription.id).where(Subscription.kim_id == kim.id,
                                                       Subscription.source_id == source.id)) is not None:
        raise Conflict(_l("This KIM already follows that feed."), field="url")
    subscription = Subscription(kim=kim, source=source, bidang=bidang, title=(title or "")[:500],
                                created_by_id=getattr(actor, "id", None))
    db.session.add(subscription)
    record_event("subscription.created", actor=actor, kim=kim, obj=subscription,
                 data={"source_id": source.id, "url": url})
    return subscription


def get_subscription(kim, subscription_id):
    subscription = db.session.get(Subscription, subscription_id)
    if subscription is None or subscription.kim_id != kim.id:
        raise NotFound(_l("No such subscription."))
    return subscription


def update_subscription(subscription, *, title=None, bidang=None, actor=None):
    """Rename the subscription (the KIM's own name for the source) or change its bidang."""
    if bidang is not None:
        subscription.bidang = check_bidang(bidang)
    if title is not None:
        title = title.strip()
        if len(title) > 500:
            raise Invalid(_l("The name is too long."), field="title")
        subscription.title = title
    return subscription


def unsubscribe(subscription, *, actor=None):
    """Stop following. The source and its items stay (other KIMs may follow it; items are kept)."""
    record_event("subscription.deleted", actor=actor, kim=subscription.kim, obj=subscription,
                 data={"source_id": subscription.source_id})
    db.session.delete(subscription)


def kim_subscriptions(kim):
    return db.session.scalars(select(Subscription).join(Source).where(Subscription.kim_id == kim.id)
                              .order_by(func.lower(func.coalesce(func.nullif(Subscription.title, ""), Source.title)),
                                        Source.url)).all()


def display_name(subscription):
    return subscription.title or subscription.source.title or subscription.source.url


# --- OPML ---------------------------------------------------------------------------------

@dataclass
class ImportLine:
    title: str
    url: str
    bidang: str
    status: str  # 'added' | 'skipped' | 'failed' (a preview says 'new' instead of 'added')
    reason: str = ""


def _bidang_for(category, default):
    code = slugify(category or "")
    return code if code in BIDANG else default


def import_opml(kim, data, *, default_bidang="umum", kind="lainnya", actor=None, dry_run=False):
    """Subscribe the KIM to every feed of an OPML file; returns one ImportLine per outline.

    Nothing is fetched here: the worker fetches new sources on its next pass.
    """
    check_bidang(default_bidang)
    check_kind(kind)
    try:
        outlines = parse_opml(data)
    except OpmlError as exc:
        if exc.code == "malformed":
            raise Invalid(_l("The OPML file is malformed (broken XML near line %(line)d): export it again from the "
                             "reader it came from.", line=exc.line or 1), field="file") from None
        raise Invalid(_l("The OPML file is empty.") if exc.code == "empty" else _l("This is not an OPML file."),
                      field="file") from None
    followed = set(db.session.scalars(select(Source.url).join(Subscription).where(Subscription.kim_id == kim.id)))
    report, seen = [], set()
    for outline in outlines:
        bidang = _bidang_for(outline.category, default_bidang)
        try:
            url = normalize_url(outline.xml_url)
        except Invalid:
            report.append(ImportLine(outline.title, outline.xml_url, bidang, "failed", str(_l("Not a web address."))))
            continue
        if url in followed or url in seen:
            report.append(ImportLine(outline.title, url, bidang, "skipped", str(_l("Already followed."))))
            continue
        seen.add(url)
        if dry_run:
            report.append(ImportLine(outline.title, url, bidang, "new"))
            continue
        subscribe(kim, url, bidang=bidang, kind=kind, title=outline.title, actor=actor)
        report.append(ImportLine(outline.title, url, bidang, "added"))
    return report


def export_kim_opml(kim):
    """The KIM's subscriptions as OPML, grouped by bidang."""
    entries = [(display_name(s), s.source.url, s.source.site_url, s.bidang) for s in kim_subscriptions(kim)]
    return export_opml(f"Langganan {kim.name}", entries)


# --- health, for officers and admins -------------------------------------------------------

def sources_with_errors():
    """Sources whose last fetch failed (or that were stopped), worst first."""
    return (select(Source).where((Source.error_count > 0) | Source.stopped_at.is_not(None))
            .order_by(Source.error_count.desc(), Source.id))


def retry_now(source):
    """Ask the worker to fetch this source on its next pass (and undo a stop)."""
    source.stopped_at = None
    source.next_check_at = utcnow()


def subscriber_count(source_id):
    return db.session.scalar(select(func.count()).select_from(Subscription).where(Subscription.source_id == source_id))


def visible_source(user, source_id):
    """The source, for the members of a KIM that follows it, coordinators and admins; None for
    anyone else (as if it did not exist: which feeds a KIM follows is its own business)."""
    from ..accounts.access import is_coordinator
    source = db.session.get(Source, source_id)
    if source is None or user is None:
        return None
    if is_coordinator(user):  # admins too
        return source
    kim_ids = [m.kim_id for m in user.active_memberships]
    followed = kim_ids and db.session.scalar(select(Subscription.id).where(
        Subscription.source_id == source.id, Subscription.kim_id.in_(kim_ids)).limit(1)) is not None
    return source if followed else None


def all_sources_query():
    """Every source, worst first (a statement, for pagination)."""
    return select(Source).order_by(Source.error_count.desc(), Source.id)


def subscriber_counts(sources):
    """{source id: number of KIMs following it} for these sources, in one query."""
    return dict(db.session.execute(
        select(Subscription.source_id, func.count()).where(Subscription.source_id.in_([s.id for s in sources]))
        .group_by(Subscription.source_id)).all())


def get_source(source_id: int) -> Source:
    return get_or_refuse(Source, source_id, _l("No such source."))


def subscriptions_query(kim):
    """The KIM's subscriptions, failing sources first, then by name (a statement, for pagination)."""
    name = func.lower(func.coalesce(func.nullif(Subscription.title, ""), Source.title))
    return (select(Subscription).join(Source).where(Subscription.kim_id == kim.id)
            .order_by(Source.error_count.desc(), name, Source.url))
