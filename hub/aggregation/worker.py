"""The refresh loop: claim due sources, fetch them concurrently, parse and clean across
processes, store in batches. Driven only by database state; safe to run several at once."""
import logging
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..extensions import db
from ..models import Source, utcnow
from . import schedule
from .fetch import Fetcher
from .parse import BrokenFeed, NotAFeed
from .prepare import prepare
from .store import store_items

log = logging.getLogger("hub.worker")

NOT_A_FEED = "Alamat ini bukan umpan (RSS/Atom/JSON Feed): isinya halaman web atau dokumen lain."
BROKEN_FEED = "Umpan rusak dan tidak dapat dibaca; butir yang sudah tersimpan tetap aman."
PER_HOST = 2  # at most this many requests at once to one host
COMMIT_EVERY = 0.5  # seconds between commits of a batch of stored sources


@dataclass
class Summary:
    sources: int = 0
    fetched: int = 0
    not_modified: int = 0
    errors: int = 0
    new_items: int = 0
    updated_items: int = 0
    statuses: dict = field(default_factory=dict)

    def line(self):
        return (f"{self.sources} sumber: {self.fetched} diambil, {self.not_modified} tidak berubah, "
                f"{self.new_items} butir baru, {self.updated_items} diperbarui, {self.errors} galat")


def _prepare_job(body, url, content_type, fetched_at):
    """Runs in a worker process: parse + clean, or a short error code."""
    try:
        return "ok", prepare(body, url, content_type, fetched_at)
    except NotAFeed:
        return "not_a_feed", None
    except BrokenFeed:
        return "broken", None


class Refresher:
    """One refresher per worker process; keeps its HTTP pools and process pool between passes."""

    def __init__(self, app, *, threads=16, processes=None):
        self.app = app
        self.fetcher = Fetcher(allow_private=app.config["HUB_ALLOW_PRIVATE_FEEDS"],
                               user_agent=app.config["HUB_USER_AGENT"], pool_size=PER_HOST,
                               timeout=(5, app.config["HUB_FETCH_TIMEOUT"]))
        self.threads = threads
        if processes is None:
            processes = os.cpu_count() or 1
        self.pool = None
        if processes > 1:
            context = multiprocessing.get_context("forkserver")
            self.pool = ProcessPoolExecutor(max_workers=processes, mp_context=context)
        self._host_locks = {}
        self._host_guard = threading.Lock()
        self.stopping = threading.Event()

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        self.fetcher.close()

    def _host_semaphore(self, url):
        host = urlsplit(url).hostname or ""
        with self._host_guard:
            return self._host_locks.setdefault(host, threading.BoundedSemaphore(PER_HOST))

    def _fetch(self, claim):
        source_id, url, etag, last_modified = claim
        with self._host_semaphore(url):
            return claim, self.fetcher.fetch(url, etag=etag, last_modified=last_modified)

    def run_once(self, *, limit=1000, source_ids=None, due_only=True, progress=None):
        """Claim and refresh up to `limit` sources; returns a Summary."""
        summary = Summary()
        session = db.session
        claims = schedule.claim(session, limit=limit, source_ids=source_ids, due_only=due_only)
        summary.sources = len(claims)
        if not claims:
            return summary
        pending = {c[0] for c in claims}
        done = 0
        last_commit = time.monotonic()
        with ThreadPoolExecutor(max_workers=min(self.threads, len(claims))) as threads:
            fetches = {threads.submit(self._fetch, c) for c in claims}
            parses = set()
            while fetches or parses:
                finished, _ = wait(fetches | parses, return_when=FIRST_COMPLETED, timeout=1.0)
                for future in finished:
                    if future in fetches:
                        fetches.discard(future)
                        claim, result = future.result()
                        if result.ok:
                            fetched_at = utcnow()
                            job = (result.body, result.final_url or claim[1], result.content_type, fetched_at)
                            if self.pool is not None:
                                parse_future = self.pool.submit(_prepare_job, *job)
                            else:
                                parse_future = threads.submit(_prepare_job, *job)
                            parse_future.context = (claim, result, fetched_at)
                            parses.add(parse_future)
                            continue
                        self._record(session, claim, result, None, summary)
                    else:
                        parses.discard(future)
                        claim, result, fetched_at = future.context
                        self._record(session, claim, result, future.result(), summary, fetched_at)
                    pending.discard(claim[0])
                    done += 1
                    if progress:
                        progress(done, len(claims))
                    if time.monotonic() - last_commit > COMMIT_EVERY:
                        session.commit()
                        last_commit = time.monotonic()
                if self.stopping.is_set() and fetches:
                    for future in list(fetches):
                        if future.cancel():
                            fetches.discard(future)
        session.commit()
        schedule.release(session, pending)  # cancelled on shutdown: nobody loses them
        return summary

    def _record(self, session, claim, result, prepared, summary, fetched_at=None):
        """Store one source's outcome inside its own savepoint: a failure touches no other source."""
        source_id, url = claim[0], claim[1]
        status_key = str(result.status or result.error)
        summary.statuses[status_key] = summary.statuses.get(status_key, 0) + 1
        now = fetched_at or utcnow()
        try:
            with session.begin_nested():
                source = session.get(Source, source_id)
                new = updated = 0
                if result.permanent_redirect or source.redirect_url:
                    schedule.note_redirect(session, source, result.permanent_redirect)
                if result.not_modified:
                    schedule.after_success(source, now=now, max_age=result.cache_max_age, status=304)
                    summary.not_modified += 1
                elif result.ok:
                    outcome, feed = prepared
                    if outcome == "ok":
                        new, updated = store_items(session, source_id, feed.items, now)
                        source.etag, source.last_modified = result.etag, result.last_modified
                        if feed.title and not source.title:
                            source.title = feed.title
                        if feed.site_url and not source.site_url:
                            source.site_url = feed.site_url
                        schedule.after_success(source, now=now, publish_gap=feed.publish_gap if new else None,
                                               ttl_seconds=feed.ttl_seconds, max_age=result.cache_max_age)
                        summary.fetched += 1
                        summary.new_items += new
                        summary.updated_items += updated
                    else:
                        # keep the validators empty so the next try downloads it again
                        schedule.after_failure(source, now=now, status=200,
                                               message=NOT_A_FEED if outcome == "not_a_feed" else BROKEN_FEED)
                        summary.errors += 1
                else:
                    schedule.after_failure(source, now=now, status=result.status, message=result.message,
                                           retry_after=result.retry_after, gone=result.status == 410)
                    summary.errors += 1
        except Exception:  # one bad source must not stop the pass
            log.exception("storing source %s failed", source_id)
            summary.errors += 1
            return
        log.info("fetch source=%s status=%s new=%s updated=%s ms=%d url=%s", source_id,
                 result.status or result.error, new, updated, result.elapsed * 1000, url)

    def run_forever(self, *, batch=200, idle_sleep=30.0):
        """The worker loop: refresh what is due, sleep a little when nothing is."""
        while not self.stopping.is_set():
            try:
                summary = self.run_once(limit=batch)
            except Exception:
                log.exception("refresh pass failed")
                db.session.rollback()
                summary = Summary()
            db.session.remove()
            if summary.sources < batch:
                self.stopping.wait(idle_sleep if summary.sources == 0 else 1.0)


def install_signal_handlers(refresher):
    """SIGTERM/SIGINT finish the sources in hand, release the rest, then stop."""
    def stop(signum, frame):
        log.info("signal %s: stopping after the current pass", signum)
        refresher.stopping.set()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def start_in_process(app, interval=30.0):
    """A daemon thread that refreshes due sources inside the web process (development/demo)."""
    def loop():
        with app.app_context():
            refresher = Refresher(app, threads=4, processes=1)
            refresher.run_forever(batch=50, idle_sleep=interval)
    thread = threading.Thread(target=loop, name="hub-worker", daemon=True)
    thread.start()
    return thread
