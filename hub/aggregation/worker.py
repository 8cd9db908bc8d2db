"""The refresh loop: claim due sources, fetch them concurrently, parse and clean across
processes, store in batches. Driven only by database state; safe to run several at once."""
import contextlib
import logging
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import false, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Item, Source, utcnow
from ..reading.search import index_pending
from ..sharing.review import carry_flags, standing_flags
from . import retention, schedule
from .fetch import LATER, Fetcher
from .prepare import MAX_ITEMS, child_init, prepare_job, warm_up
from .store import insert_rows, new_row, store_items

log = logging.getLogger("hub.worker")

PER_HOST = 2  # at most this many requests at once to one host
COMMIT_EVERY = 0.5  # seconds between commits of a batch of stored sources
PRUNE_EVERY = 3600.0  # seconds between retention passes
STOP_GRACE = 3.0  # seconds the fetches in progress may go on after a stop is asked
# Fetched bodies (and their parsed items) held at once, waiting to be parsed or stored: the fetch
# thread takes no claim beyond this, so memory stays flat however many feeds a pass has.
BODIES_PER_PROCESS = 8
# Bodies waiting for the parse thread before the parser processes are started: a pass where a
# few feeds changed is parsed in this process, with no processes to spawn (~0.5 s of start-up
# for 100 changed feeds); a cold pass starts them and hands them every body once they are up.
# (16 was passed now and then by a burst of 100 changed feeds; the slots bound the backlog to
# threads + 8 per process, 32 here, which a cold pass fills at once.)
INLINE_BACKLOG = 24


class SourceRow:
    """What a pass reads and writes of a source: a plain object, not an ORM row. hub.aggregation
    .schedule's functions set its attributes; the pass writes them back in one batched UPDATE."""

    COLUMNS = ("id", "url", "title", "site_url", "etag", "last_modified", "interval_seconds", "next_check_at",
               "lease_until", "redirect_url", "redirect_count", "last_checked_at", "last_success_at",
               "last_status", "error_count", "last_error_code", "last_error_detail", "stopped_at")
    __slots__ = COLUMNS

    def __init__(self, row):
        for name, value in zip(self.COLUMNS, row):
            setattr(self, name, value)

    def values(self):
        return {name: getattr(self, name) for name in self.COLUMNS}

    @classmethod
    def load(cls, session, ids):
        rows = {}
        ids = list(ids)
        columns = [getattr(Source, name) for name in cls.COLUMNS]
        for start in range(0, len(ids), 500):
            for row in session.execute(select(*columns).where(Source.id.in_(ids[start:start + 500]))):
                rows[row[0]] = cls(row)
        return rows


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


class Refresher:
    """One refresher per worker process; keeps its HTTP pools and process pool between passes."""

    def __init__(self, app, *, threads=16, processes=None, inline_backlog=INLINE_BACKLOG):
        # threads: fetches at once (one thread drives them all: hub.aggregation.fetch.fetch_many)
        self.app = app
        deadline = float(app.config["HUB_FETCH_TIMEOUT"])
        self.fetcher = Fetcher(allow_private=app.config["HUB_ALLOW_PRIVATE_FEEDS"],
                               user_agent=app.config["HUB_USER_AGENT"], pool_size=PER_HOST,
                               timeout=(min(5.0, deadline), min(20.0, deadline)), deadline=deadline)
        self.threads = threads
        self.processes = (os.cpu_count() or 1) if processes is None else processes
        # parsing: a thread of this process first; the process pool (with processes > 1) once
        # more than `inline_backlog` bodies wait for that thread (a negative one: at the first
        # body), taking every body once its processes are up. A pass of 304s starts neither.
        self.inline_backlog = inline_backlog
        self.pool = None
        self._pool_ready = threading.Event()
        self._parse_thread = None
        self._backlog = 0  # bodies given to the parse thread and not parsed yet
        self._backlog_lock = threading.Lock()
        self.stopping = threading.Event()
        self._next_prune = 0.0

    def _parser(self):
        """Where a fetched body is parsed (see __init__): the parse thread, or the process pool
        once it is up. Never the fetch thread: it waits for a slot while bodies are held, and a
        parse queued behind it would never run."""
        if self.processes > 1:
            if self._pool_ready.is_set():
                return self.pool
            if self.pool is None and self._backlog > self.inline_backlog:
                self._start_pool(wait=self.inline_backlog < 0)
                if self._pool_ready.is_set():
                    return self.pool
        if self._parse_thread is None:
            self._parse_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hub-parse")
        return _Counted(self._parse_thread, self)

    def _start_pool(self, wait=False):
        """Spawn the parser processes; they take bodies once each has answered (`wait`: now).
        Spawned children of this process (not of a forkserver, which outlives a killed
        worker): each dies with the worker (hub.aggregation.prepare.child_init). They import
        only hub.aggregation.prepare (no Flask, no SQLAlchemy): fast and small."""
        context = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(max_workers=self.processes, mp_context=context, initializer=child_init,
                                        initargs=(os.getpid(),))
        with _main_left_out():  # each submit spawns one process, now
            answers = [self.pool.submit(warm_up) for _ in range(self.processes)]

        def answered(_future):
            if all(answer.done() for answer in answers):
                self._pool_ready.set()
        for answer in answers:
            answer.add_done_callback(answered)
        if wait:
            for answer in answers:
                answer.result()
            self._pool_ready.wait()

    def start_parsers(self):
        """Start the parser processes now (a long-running worker), not with its first feed."""
        if self.processes > 1 and self.pool is None:
            self._start_pool(wait=True)

    def close(self):
        if self._parse_thread is not None:
            self._parse_thread.shutdown(cancel_futures=True)
            self._parse_thread = None
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
            self._pool_ready.clear()
        self.fetcher.close()

    def stop(self):
        """Stop soon: sources not begun are released; fetches in progress get STOP_GRACE seconds
        to finish (and are stored), then are cut (released, not blamed on the source)."""
        self.stopping.set()

    def run_once(self, *, limit=1000, source_ids=None, due_only=True, progress=None):
        """Claim and refresh up to `limit` sources; returns a Summary. Whatever happens (a lost
        database connection, an exception, a stop), the sources claimed and not recorded are
        released before it returns or raises."""
        summary = Summary()
        pending = set()
        # the worker's own session: rows stay loaded across its intermediate commits
        session = Session(db.engine, expire_on_commit=False)
        try:
            return self._run(session, summary, pending, limit=limit, source_ids=source_ids, due_only=due_only,
                             progress=progress)
        except BaseException:
            if pending:
                log.exception("refresh pass failed; releasing %d sources", len(pending))
            raise
        finally:
            session.close()
            if pending:
                release_safely(pending)

    def _run(self, session, summary, pending, *, limit, source_ids, due_only, progress):
        self.fetcher.resume()
        claims = schedule.claim(session, limit=limit, source_ids=source_ids, due_only=due_only)
        summary.sources = len(claims)
        if not claims:
            return summary
        pending.update(c[0] for c in claims)
        # one query for every claimed row; outcomes go back in one UPDATE per commit
        self._sources = SourceRow.load(session, pending)
        self._dirty = []
        self._fresh = []  # (source, its state before, rows, time): first stores, inserted at the commit
        self._flags = standing_flags(session)  # read again at every commit
        self._open_transaction(session)
        done = 0
        last_commit = time.monotonic()
        # the fetch thread and the parsers report into one queue: O(1) per event
        events = queue.Queue()
        # a slot per source from before its fetch until its outcome is recorded: bounds the
        # bodies and parsed feeds held at once
        slots = threading.Semaphore(self.threads + BODIES_PER_PROCESS * max(1, self.processes))
        unsent, unsent_lock = iter(claims), threading.Lock()  # claims not taken by the fetch thread
        closed = threading.Event()  # no claim is taken any more

        def next_request(wait):
            """The fetch thread's next claim once a slot is free (LATER when none is), None once
            none is left. (Claims are taken one at a time: a queued task per claim cost 2 KB, 20 MB
            of the main process at 10,000 feeds.)"""
            if closed.is_set():
                return None
            if not (slots.acquire(timeout=wait) if wait else slots.acquire(blocking=False)):
                return LATER
            with unsent_lock:
                claim = next(unsent, None)
            if claim is None:
                slots.release()
                return None
            return claim, claim[1], claim[2], claim[3]

        def fetch_loop():
            """The fetch thread: every transfer of the pass, driven by libcurl (hub.aggregation.fetch)."""
            try:
                self.fetcher.fetch_many(next_request, lambda claim, got: events.put(("fetched", claim, got, None)),
                                        at_once=self.threads)
            except Exception:  # the claims it held come back as "internal" (fetch_many): not the sources' fault
                log.exception("the fetch thread failed")

        def close():
            """No claim is taken any more; returns how many were left."""
            closed.set()
            with unsent_lock:
                return sum(1 for _ in unsent)

        remaining = len(claims)
        recorded = set()  # outcomes recorded in the session, not yet committed
        last_renewal = time.monotonic()
        fetcher = threading.Thread(target=fetch_loop, name="hub-fetch", daemon=True)
        fetcher.start()
        cancelled = aborted = False
        try:
            while remaining:
                if self.stopping.is_set() and not cancelled:
                    cancelled, stop_by = True, time.monotonic() + STOP_GRACE
                    remaining -= close()  # never begun: left in `pending`, released
                    if not remaining:
                        break
                if cancelled and not aborted and time.monotonic() > stop_by:
                    aborted = True
                    self.fetcher.abort_all()
                if time.monotonic() - last_renewal > schedule.RENEW_EVERY:
                    # short leases, kept alive while this pass runs: a killed worker strands its
                    # sources for at most one lease
                    schedule.renew(session, pending - recorded)
                    last_renewal = time.monotonic()
                try:
                    kind, claim, result, payload = events.get(timeout=0.5)
                except queue.Empty:
                    continue
                if kind == "fetched" and result.error in ("aborted", "internal"):
                    remaining -= 1  # the hub stopped or failed, not the source: released, not blamed
                    slots.release()
                    continue
                if kind == "fetched" and result.ok:
                    fetched_at = utcnow()
                    job = (result.body, result.final_url or claim[1], result.content_type, fetched_at,
                           self._known(session, claim[0]))
                    result.body = None  # the parser has it; not kept twice
                    future = self._parser().submit(prepare_job, *job)
                    future.add_done_callback(
                        lambda f, claim=claim, result=result, fetched_at=fetched_at:
                        events.put(("parsed", claim, result, (f, fetched_at))))
                    continue
                if kind == "fetched":
                    self._record(session, claim, result, None, summary)
                else:
                    future, fetched_at = payload
                    try:
                        prepared = future.result()
                    except Exception:
                        log.exception("parsing %s failed", claim[1])
                        prepared = ("broken", None)
                    self._record(session, claim, result, prepared, summary, fetched_at)
                    prepared = payload = None
                slots.release()
                recorded.add(claim[0])  # out of `pending` once committed
                remaining -= 1
                done += 1
                if progress:
                    progress(done, len(claims))
                if time.monotonic() - last_commit > COMMIT_EVERY:
                    self._commit(session, summary)
                    self._flags = standing_flags(session)
                    self._open_transaction(session)
                    pending.difference_update(recorded)
                    recorded.clear()
                    last_commit = time.monotonic()
        except BaseException:
            self.fetcher.abort_all()  # the pass failed: nobody will record what is still in flight
            raise
        finally:
            if not cancelled:
                close()  # the pass ended or failed: the fetch thread ends too, once its fetches have
            fetcher.join()
        self._commit(session, summary)
        pending.difference_update(recorded)
        schedule.release(session, pending)  # cancelled on shutdown: nobody loses them
        pending.clear()
        return summary

    def _known(self, session, source_id):
        """{guid_hash: raw_hash} of the source's newest stored items: the parser skips entries
        found there unchanged before cleaning them. Nothing for a source never stored."""
        source = self._sources.get(source_id)
        if source is None or source.last_success_at is None:
            return None
        return dict(session.execute(
            select(Item.guid_hash, Item.raw_hash).where(Item.source_id == source_id, Item.raw_hash.is_not(None))
            .order_by(Item.published_at.desc(), Item.id.desc()).limit(2 * MAX_ITEMS)).all())

    @staticmethod
    def _open_transaction(session):
        """SQLite: open the batch's transaction now. Python's sqlite3 begins one only before a
        write, so each source's SAVEPOINT would begin (and its RELEASE commit) a transaction of
        its own: a commit per source. No-op elsewhere."""
        if session.get_bind().dialect.name == "sqlite":
            session.execute(update(Source).where(false()).values(lease_until=None))

    def _commit(self, session, summary):
        """Commit a batch: the items of sources stored for the first time in one executemany, the
        recorded sources' new state in one executemany UPDATE (not an ORM flush), the new items
        into the search index."""
        self._insert_fresh(session, summary)
        if self._dirty:
            session.execute(update(Source), [row.values() for row in self._dirty])
            self._dirty = []
        index_pending(session)
        session.commit()

    def _insert_fresh(self, session, summary):
        """The items of every source stored for the first time since the last commit, in one
        savepoint and one statement (a savepoint and a statement per source cost the main
        process a fifth of a cold refresh). If that fails, each source is tried alone, and one
        that fails again is left as it was before this fetch, to be fetched again soon."""
        fresh, self._fresh = self._fresh, []
        if not fresh:
            return
        try:
            with session.begin_nested():
                insert_rows(session, [row for _, _, rows, _ in fresh for row in rows])
                for source, _, rows, _ in fresh:
                    carry_flags(session, source.id, rows, self._flags)
            return
        except Exception:
            log.exception("storing the items of %d new sources at once failed; storing them one by one", len(fresh))
        for source, before, rows, now in fresh:
            try:
                with session.begin_nested():
                    insert_rows(session, rows)
                    carry_flags(session, source.id, rows, self._flags)
            except Exception:
                log.exception("storing source %s failed", source.id)
                for name, value in before.items():
                    setattr(source, name, value)  # validators too: the next fetch gets the whole feed
                schedule.after_hub_failure(source, now=now)
                summary.new_items -= len(rows)
                summary.fetched -= 1
                summary.errors += 1

    def _record(self, session, claim, result, prepared, summary, fetched_at=None):
        """Record one source's outcome; its items go in a savepoint, so a failure touches no other source."""
        source_id, url = claim[0], claim[1]
        status_key = str(result.status or result.error)
        summary.statuses[status_key] = summary.statuses.get(status_key, 0) + 1
        now = fetched_at or utcnow()
        source = self._sources.get(source_id)
        if source is None:  # deleted since it was claimed
            return
        self._dirty.append(source)
        new = updated = 0
        try:
            if result.permanent_redirect or source.redirect_url:
                schedule.note_redirect(session, source, result.permanent_redirect)
            if result.not_modified:
                schedule.after_success(source, now=now, max_age=result.cache_max_age, status=304)
                summary.not_modified += 1
            elif prepared is not None:  # a 200 with a body, parsed (the body itself is gone)
                outcome, feed = prepared
                if outcome == "ok":
                    if source.last_success_at is None:
                        # never stored: nothing to look up or update; its rows go in with the batch's
                        rows = [new_row(source_id, item, now) for item in feed.items]
                        if rows:
                            self._fresh.append((source, source.values(), rows, now))
                        new = len(rows)
                    else:
                        # items go in a savepoint: a failure here rolls back this source only
                        with session.begin_nested():
                            new, updated = store_items(session, source_id, feed.items, now, index=False,
                                                       flags=self._flags)
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
                                           code="not_a_feed" if outcome == "not_a_feed" else "broken_feed")
                    summary.errors += 1
            else:
                schedule.after_failure(source, now=now, status=result.status, code=result.error,
                                       detail=result.detail, retry_after=result.retry_after,
                                       gone=result.status == 410)
                summary.errors += 1
        except Exception:  # one bad source must not stop the pass, and it is not the source's fault
            log.exception("storing source %s failed", source_id)
            schedule.after_hub_failure(source, now=now)
            summary.errors += 1
            return
        log.info("fetch source=%s status=%s new=%s updated=%s ms=%d url=%s", source_id,
                 result.status or result.error, new, updated, result.elapsed * 1000, url)

    def prune_if_due(self):
        """Once an hour: delete what the retention setting lets go (hub.aggregation.retention)."""
        if time.monotonic() < self._next_prune:
            return
        self._next_prune = time.monotonic() + PRUNE_EVERY
        try:
            from .. import settings
            gone = retention.prune(settings.get("retention_days"))
            if gone:
                log.info("retention: %d old items of unfollowed sources deleted", gone)
            from ..aspirasi.notifications import remind_late
            from ..monitoring.period import local_today
            reminded = remind_late(local_today(current_app.config["HUB_TIMEZONE"]))
            db.session.commit()
            if reminded:
                log.info("aspirations: %d officers told of late aspirations", reminded)
            from ..web.notifications import email_digests
            mailed = email_digests()
            if mailed:
                log.info("notifications: %d e-mail digests sent", mailed)
        except Exception:
            log.exception("retention pass failed")
            db.session.rollback()

    def run_forever(self, *, batch=200, idle_sleep=30.0):
        """The worker loop: refresh what is due, sleep a little when nothing is."""
        while not self.stopping.is_set():
            self.prune_if_due()
            try:
                summary = self.run_once(limit=batch)
            except Exception:
                log.exception("refresh pass failed")
                db.session.rollback()
                summary = Summary()
            db.session.remove()
            if summary.sources < batch:
                self.stopping.wait(idle_sleep if summary.sources == 0 else 1.0)


class _Counted:
    """The parse thread's executor, counting the bodies given to it and not parsed yet (the
    refresher's backlog, which decides when the parser processes start)."""

    def __init__(self, executor, refresher):
        self.executor, self.refresher = executor, refresher

    def submit(self, fn, *args):
        refresher = self.refresher
        with refresher._backlog_lock:
            refresher._backlog += 1
        future = self.executor.submit(fn, *args)

        def parsed(_future):
            with refresher._backlog_lock:
                refresher._backlog -= 1
        future.add_done_callback(parsed)
        return future


@contextlib.contextmanager
def _main_left_out():
    """While parser processes are spawned: this process's __main__ looks like no file and no
    module. A spawned child runs its parent's __main__ again (multiprocessing's rule), which for
    `flask worker` is the flask script: Flask, Werkzeug and Click in every parser, ~0.2 s of
    start-up and ~10 MB each, for nothing (they run only hub.aggregation.prepare's functions,
    pickled by their module's name). The names are put back at once."""
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved = {name: main.__dict__[name] for name in ("__file__", "__spec__") if name in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


def release_safely(source_ids):
    """Give back leases after a failed pass, on a connection of its own (the pass's may be dead)."""
    try:
        with Session(db.engine) as session:
            schedule.release(session, source_ids)
    except Exception:  # the database is away: the short lease runs out on its own
        log.exception("could not release %d sources; their leases expire by themselves", len(source_ids))


def install_signal_handlers(refresher):
    """SIGTERM/SIGINT: release what is not begun, finish (or after STOP_GRACE cut) the fetches in
    progress, store what is fetched, stop: within a few seconds."""
    def stop(signum, frame):
        log.info("signal %s: stopping", signum)
        refresher.stop()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def start_in_process(app, interval=30.0, delay=3.0):
    """A daemon thread that refreshes due sources inside the web process (development/demo).

    It waits `delay` seconds first: the demo's feeds are served by this very process, which
    is not listening yet when the app is created."""
    def loop():
        time.sleep(delay)
        with app.app_context():
            refresher = Refresher(app, threads=4, processes=1)
            refresher.run_forever(batch=50, idle_sleep=interval)
    thread = threading.Thread(target=loop, name="hub-worker", daemon=True)
    thread.start()
    return thread
