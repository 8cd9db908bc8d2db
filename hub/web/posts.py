"""Berita: a KIM's posts, written, kept as drafts, published at a permanent public address."""
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _

from ..accounts.access import (
    can_act_for,
    current_actor,
    kim_member_required,
    login_required,
    may_see_kim,
)
from ..errors import DomainError
from ..extensions import db
from ..kims.service import get_kim
from ..posts import service
from ..posts.images import make_variant, sizes_of
from ..sharing.review import active_flags
from ..urls import public_base_url
from .forms import PostEditForm
from .util import form_status, page_number, refused

bp = Blueprint("posts", __name__)


def upload_dir() -> Path:
    return Path(current_app.instance_path) / "uploads"


def _files():
    return [f for f in request.files.getlist("images") if f and f.filename]


@bp.route("/kim/<slug>/berita")
def index(slug):
    kim = get_kim(slug)
    user = current_actor()
    if not may_see_kim(user, kim):
        abort(404)
    member = can_act_for(user, kim)
    pagination = db.paginate(service.posts_of(kim, include_drafts=member), page=page_number(),
                             per_page=current_app.config["HUB_PAGE_SIZE"], error_out=False)
    return render_template("posts/index.html", kim=kim, pagination=pagination,
                           can_write=service.can_write(user, kim) if user else False)


@bp.route("/kim/<slug>/berita/tulis", methods=["GET", "POST"])
@kim_member_required
def new(kim):
    user = current_actor()
    if not service.can_write(user, kim):
        abort(403)
    form = PostEditForm()
    if form.validate_on_submit():
        try:
            post = service.create_post(kim, actor=user, title=form.title.data, body=form.body.data,
                                       bidang=form.bidang.data, publish=request.form.get("action") == "publish",
                                       images=_files(), upload_dir=upload_dir(), base_url=public_base_url())
        except DomainError as exc:
            refused(exc, form)  # the text typed stays in the form
        else:
            db.session.commit()
            flash(_("The post was published.") if post.status == "published" else _("The draft was saved."), "success")
            return redirect(url_for("posts.show", post_id=post.id))
    return render_template("posts/edit.html", kim=kim, form=form, post=None,
                           can_publish=service.can_publish(user, kim)), form_status(form)


def _readable(post_id):
    post = service.get_post(post_id)
    if not service.can_read(current_actor(), post) or not may_see_kim(current_actor(), post.kim):
        abort(404)
    return post


@bp.route("/berita/<int:post_id>")
def show(post_id):
    post = _readable(post_id)
    user = current_actor()
    flags = active_flags([post.item_id]).get(post.item_id, []) if post.item_id else []
    return render_template("posts/show.html", post=post, can_edit=bool(user) and service.can_edit(user, post),
                           flags=flags,
                           can_publish=bool(user) and post.status == "draft" and service.can_publish(user, post.kim))


@bp.route("/berita/<int:post_id>/ubah", methods=["GET", "POST"])
@login_required
def edit(post_id):
    post = _readable(post_id)
    user = current_actor()
    if not service.can_edit(user, post):
        abort(403)
    form = PostEditForm(obj=post)
    if form.validate_on_submit():
        try:
            remove = [int(v) for v in request.form.getlist("remove_image") if v.isdigit()]
            service.update_post(post, actor=user, title=form.title.data, body=form.body.data, bidang=form.bidang.data,
                                images=_files(), remove_images=remove, upload_dir=upload_dir(),
                                base_url=public_base_url())
            if request.form.get("action") == "publish" and post.status == "draft":
                service.publish_post(post, actor=user, base_url=public_base_url())
        except DomainError as exc:
            refused(exc, form)
        else:
            db.session.commit()
            flash(_("The post was saved."), "success")
            return redirect(url_for("posts.show", post_id=post.id))
    return render_template("posts/edit.html", kim=post.kim, form=form, post=post,
                           can_publish=service.can_publish(user, post.kim)), form_status(form)


@bp.route("/berita/<int:post_id>/terbitkan", methods=["POST"])
@login_required
def publish(post_id):
    post = _readable(post_id)
    try:
        service.publish_post(post, actor=current_actor(), base_url=public_base_url())
    except DomainError as exc:
        db.session.rollback()
        abort(exc.status)
    db.session.commit()
    flash(_("The post was published."), "success")
    return redirect(url_for("posts.show", post_id=post.id))


@bp.app_template_global("image_sizes")
def image_sizes(upload):
    """[(width, url, webp url)] of a stored image's sizes, smallest first, for srcset."""
    return [(w, url_for("posts.upload", name=n), url_for("posts.upload", name=webp))
            for w, n, webp in sizes_of(upload.name, upload.width)]


@bp.route("/uploads/<name>")
def upload(name):
    """A stored image, or one of its sizes for phones (made the first time it is asked for)."""
    folder = upload_dir()
    if not (folder / name).is_file() and make_variant(folder, name) is None:
        abort(404)
    response = send_from_directory(folder, name, max_age=31536000)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
