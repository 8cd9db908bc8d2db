"""Diskusi on the item page: comments, replies, and hiding one."""
from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _

from ..accounts.access import current_actor, login_required
from ..aspirasi import discussion
from ..errors import DomainError
from ..extensions import db
from ..kims.service import get_kim
from ..reading import timeline as reading
from ..text import row_id
from .forms import CommentForm, HideForm
from .util import refused

bp = Blueprint("discussion", __name__)


@bp.route("/item/<int:item_id>/komentar", methods=["POST"])
@login_required
def comment(item_id):
    user = current_actor()
    item = reading.readable_item(user, item_id)
    form = CommentForm()
    kim = get_kim(form.kim.data or "")
    status = 422
    if form.validate():
        parent_id = row_id(form.parent.data) if form.parent.data else None
        try:
            parent = discussion.get_comment(parent_id) if parent_id is not None else None
            row, _mentions = discussion.add_comment(item, kim, actor=user, body=form.body.data, parent=parent)
        except DomainError as exc:
            status = refused(exc, form, {"parent": "body"})
        else:
            db.session.commit()
            flash(_("Comment posted."), "success")
            return redirect(url_for("reading.item", item_id=item.id, keep="unread") + f"#komentar-{row.id}")
    from .reading import item_page
    return item_page(user, item, status, comment_form=form)


@bp.route("/komentar/<int:comment_id>/sembunyikan", methods=["POST"])
@login_required
def hide(comment_id):
    user = current_actor()
    row = discussion.get_comment(comment_id)
    reading.readable_item(user, row.item_id)  # 404 for whoever may not read the item
    form = HideForm()
    if form.validate():
        try:
            discussion.hide(row, actor=user, reason=form.reason.data)
        except DomainError as exc:
            refused(exc)
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("The comment is hidden."), "success")
    else:
        flash(_("Say why it is hidden."), "error")
    return redirect(url_for("reading.item", item_id=row.item_id, keep="unread") + f"#komentar-{row.id}")
