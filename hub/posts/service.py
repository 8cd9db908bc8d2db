"""Posts (Berita): a KIM writes Markdown, keeps it as a draft, publishes it as an Item.

Who may write is the KIM's post policy: every member publishes ('anggota'), members write
drafts that officers publish ('draft'), or officers only ('pengurus'). Hub admins may do all.
"""
import html
from pathlib import Path
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from markdown_it import MarkdownIt
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.access import can_act_for, can_manage_kim, is_member
from ..aggregation.clean import digest, html_text, sanitize, summarize
from ..errors import Forbidden, Invalid
from ..events import record_event
from ..extensions import db, get_or_refuse
from ..models import Item, Post, Upload, utcnow
from ..reading.search import index_pending
from ..vocabulary import BIDANG, POST_POLICIES
from .images import sizes_of, store_image

MAX_TITLE = 300
MAX_BODY = 50_000
MAX_IMAGES = 6

# CommonMark without raw HTML: what a person types is never markup, and nh3 cleans the rest.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render_body(body: str, base_url: str) -> str:
    """Safe HTML of a post's Markdown."""
    return sanitize(_markdown.render(body or ""), base_url)


# --- who may do what ------------------------------------------------------------------------

def can_write(user, kim) -> bool:
    if can_manage_kim(user, kim):
        return True
    return is_member(user, kim) and kim.post_policy in ("anggota", "draft")


def can_publish(user, kim) -> bool:
    if can_manage_kim(user, kim):
        return True
    return is_member(user, kim) and kim.post_policy == "anggota"


def can_edit(user, post) -> bool:
    """Officers edit every post of their KIM; a member edits their own while they may write,
    and their published post only while they may publish."""
    if can_manage_kim(user, post.kim):
        return True
    if post.author_id != getattr(user, "id", None) or not can_write(user, post.kim):
        return False
    return post.status == "draft" or can_publish(user, post.kim)


def can_read(user, post) -> bool:
    return post.status == "published" or can_act_for(user, post.kim)


def set_policy(kim, policy, *, actor):
    """Officers choose who may write the KIM's posts."""
    if not can_manage_kim(actor, kim):
        raise Forbidden(_l("Only the KIM's officers may change this."))
    if policy not in POST_POLICIES:
        raise Invalid(_l("Unknown choice."), field="post_policy")
    record_event("post.policy_changed", actor=actor, kim=kim, obj=kim, data={"from": kim.post_policy, "to": policy})
    kim.post_policy = policy


# --- writing --------------------------------------------------------------------------------

def _fields(title, body, bidang):
    title = " ".join((title or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    if not title:
        raise Invalid(_l("Give the post a title."), field="title")
    if len(title) > MAX_TITLE:
        raise Invalid(_l("The title is too long (at most %(n)d characters).", n=MAX_TITLE), field="title")
    if len(body) > MAX_BODY:
        raise Invalid(_l("The text is too long (at most %(n)d characters).", n=MAX_BODY), field="body")
    if bidang not in BIDANG:
        raise Invalid(_l("Choose a bidang."), field="bidang")
    return title, body, bidang


def get_post(post_id) -> Post:
    return get_or_refuse(Post, post_id, _l("No such post."))


def _attach(post, images, upload_dir: Path, actor):
    """Store uploaded images (file-like objects) for the post, all or none."""
    images = [f for f in images or [] if f is not None]
    if len(post.images) + len(images) > MAX_IMAGES:
        raise Invalid(_l("A post holds at most %(n)d images.", n=MAX_IMAGES), field="images")
    stored = []
    try:
        for stream in images:
            stored.append(store_image(stream, upload_dir))
    except Invalid:
        for image in stored:  # nothing half-kept: the post is saved again with its text only
            (upload_dir / image.name).unlink(missing_ok=True)
        raise
    for image in stored:
        db.session.add(Upload(kim_id=post.kim_id, user_id=actor.id, post=post, name=image.name,
                              content_type=image.content_type, width=image.width, height=image.height,
                              size=image.size, alt=""))


def create_post(kim, *, actor, title, body="", bidang="umum", publish=False, images=(), upload_dir=None,
                base_url=""):
    """Write a post for a KIM, as a draft or published at once; the caller commits."""
    if not can_write(actor, kim):
        raise Forbidden(_l("You may not write posts for this KIM."))
    if publish and not can_publish(actor, kim):
        raise Forbidden(_l("Only the KIM's officers publish its posts; save it as a draft."))
    title, body, bidang = _fields(title, body, bidang)
    now = utcnow()
    post = Post(kim=kim, author_id=actor.id, title=title, body=body, bidang=bidang, status="draft",
                created_at=now, updated_at=now)
    db.session.add(post)
    db.session.flush()
    if images:
        _attach(post, images, upload_dir, actor)
    record_event("post.created", actor=actor, kim=kim, obj=post)
    if publish:
        publish_post(post, actor=actor, base_url=base_url)
    return post


def update_post(post, *, actor, title, body, bidang, images=(), remove_images=(), upload_dir=None, base_url=""):
    """Change a post; a published post's item follows (timelines, search and feeds)."""
    if not can_edit(actor, post):
        raise Forbidden(_l("You may not edit this post."))
    post.title, post.body, post.bidang = _fields(title, body, bidang)
    remove = set(remove_images or ())
    for img in [img for img in post.images if img.id in remove]:
        img.post = None  # kept on disk: a published copy may still point at it
    if images:
        _attach(post, images, upload_dir, actor)
    post.updated_at = utcnow()
    record_event("post.updated", actor=actor, kim=post.kim, obj=post)
    if post.status == "published":
        _write_item(post, base_url)
    return post


def public_url(post, base_url):
    return f"{base_url.rstrip('/')}/berita/{post.id}"


def tag_uri(post, base_url):
    """A permanent id (RFC 4151) that survives a change of the KIM's slug."""
    host = urlsplit(base_url).hostname or "localhost"
    return f"tag:{host},{post.created_at:%Y-%m-%d}:berita/{post.id}"


def _images_html(post, base_url):
    """The post's images in its item (the timeline, the item page, the feeds): at most 960 px
    wide, enough for a reader's column and a third of the stored photo's weight."""
    figures = []
    for img in post.images:
        width, name = img.width, img.name
        if width > 960:
            width, name = next((w, n) for w, n, _webp in sizes_of(img.name, img.width) if w == 960)
        height = max(1, round(img.height * width / img.width))
        figures.append(f'<figure><img src="{base_url.rstrip("/")}/uploads/{name}" alt="{html.escape(img.alt)}" '
                       f'width="{width}" height="{height}"></figure>')
    return "".join(figures)


def _write_item(post, base_url):
    url = public_url(post, base_url)
    content = sanitize(_images_html(post, base_url), base_url) + render_body(post.body, url)
    text = html_text(content)
    item = post.item
    if item is None:
        guid = tag_uri(post, base_url)
        item = Item(kim_id=post.kim_id, source_id=None, guid=guid, guid_hash=digest(guid),
                    published_at=post.published_at, fetched_at=post.published_at)
        db.session.add(item)
        post.item = item
    item.url = url
    item.title = post.title
    item.content = content
    item.text = text
    item.summary = summarize(text)
    item.author = post.kim.name
    item.updated_at = post.updated_at
    item.content_hash = digest(post.title, content)
    db.session.flush()
    index_pending(db.session)  # new posts are searchable at once (an edit is followed by a trigger)
    return item


def publish_post(post, *, actor, base_url):
    """Publish a draft: it becomes an item in the KIM's timeline, its feeds and search."""
    if not can_publish(actor, post.kim):
        raise Forbidden(_l("Only the KIM's officers publish its posts."))
    if post.status == "published":
        return post
    now = utcnow()
    post.status = "published"
    post.published_at = now
    post.updated_at = now
    _write_item(post, base_url)
    record_event("post.published", actor=actor, kim=post.kim, obj=post, data={"item_id": post.item_id})
    return post


def posts_of(kim, *, include_drafts=False):
    """The KIM's posts, newest first (a statement, for pagination)."""
    stmt = select(Post).options(selectinload(Post.item), selectinload(Post.author)).where(Post.kim_id == kim.id)
    if not include_drafts:
        stmt = stmt.where(Post.status == "published")
    return stmt.order_by(Post.updated_at.desc(), Post.id.desc())


def post_of_item(item):
    return db.session.scalar(select(Post).where(Post.item_id == item.id)) if item.source_id is None else None
