"""Helpers for aggregation tests: subscribe through the service, refresh through the worker."""
from hub.aggregation import service
from hub.aggregation.worker import Refresher
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Item, Source


def subscribe(app, kim_slug, url, bidang="umum", kind="lainnya"):
    with app.app_context():
        sub = service.subscribe(get_kim(kim_slug), url, bidang=bidang, kind=kind)
        db.session.commit()
        return sub.source_id


def refresh(app, processes=1, inline_backlog=None, **kwargs):
    """One pass. inline_backlog: as Refresher's (-1: every body to the parser processes); None,
    the worker's default."""
    kwargs.setdefault("due_only", False)
    with app.app_context():
        options = {} if inline_backlog is None else {"inline_backlog": inline_backlog}
        refresher = Refresher(app, processes=processes, **options)
        try:
            return refresher.run_once(**kwargs)
        finally:
            refresher.close()
            db.session.remove()


def items(app, source_id):
    with app.app_context():
        return db.session.scalars(db.select(Item).where(Item.source_id == source_id).order_by(Item.id)).all()


def source(app, source_id):
    with app.app_context():
        return db.session.get(Source, source_id)
