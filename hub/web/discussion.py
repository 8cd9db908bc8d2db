"""Diskusi on the item page: comments, replies, and hiding one."""
from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _

from ..accounts.access import current_actor, login_required
from ..aspirasi import discussion
from ..errors import DomainError
from ..extensions import db
from ..reading import timeline as reading
from ..text import row_id
from .forms import CommentForm, HideForm
from .reading import submit_item_form
from .util import refused

bp = Blueprint("discussion", __name__)


@bp.route("/item/<int:item_id>/komentar", methods=["POST"])
@login_required
def comment(item_id):
    def action(user, item, kim, form):
        parent_id = row_id(form.parent.data) if form.parent.data else None
        parent = discussion.get_comment(parent_id) if parent_id is not None else None
        row, _mentions = discussion.add_comment(item, kim, actor=user, body=form.body.data, parent=parent)
        flash(_("Comment posted."), "success")
        return f"#komentar-{row.id}"
    return submit_item_form(item_id, CommentForm, "comment_form", action, aliases={"parent": "body"})


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
