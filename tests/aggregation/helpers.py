"""Helpers for aggregation tests: subscribe through the service, refresh through the worker, a
raw HTTP server on loopback."""
import socket
import threading

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


class LoopbackServer:
    """A raw TCP server on 127.0.0.1 that serves each connection in a thread of its own with
    _serve(conn) (a subclass's), counting connections."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def _accept(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        raise NotImplementedError

    def close(self):
        self.stopped.set()
        self.sock.close()
