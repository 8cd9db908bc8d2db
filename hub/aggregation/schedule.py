"""When each source is fetched next: claims, backoff, adaptive intervals, health."""
from datetime import timedelta

from sqlalchemy import exists, or_, select, update

from ..models import Source, Subscription, utcnow
from .prepare import MAX_INTERVAL, MIN_INTERVAL

# A claim holds a source for LEASE; a running pass renews its leases every RENEW_EVERY seconds
# (a fetch lasts at most HUB_FETCH_TIMEOUT), so a worker killed outright strands its sources for
# two minutes at most.
LEASE = timedelta(minutes=2)
RENEW_EVERY = 30.0
HUB_RETRY = timedelta(minutes=5)  # the hub itself failed on a source: try again soon
DEFAULT_INTERVAL = 30 * 60
REDIRECT_CONFIRMATIONS = 2  # a permanent redirect updates the stored URL once it has held twice


def clamp(seconds, low=MIN_INTERVAL, high=MAX_INTERVAL):
    return max(low, min(high, int(seconds)))


def _claimable(now):
    return (Source.stopped_at.is_(None),
            or_(Source.lease_until.is_(None), Source.lease_until < now),
            exists().where(Subscription.source_id == Source.id))


def claim(session, *, limit=200, source_ids=None, due_only=True, now=None):
    """Lease up to `limit` sources for this worker and commit; returns [(id, url, etag, last_modified)].

    On PostgreSQL the row locks are taken with SKIP LOCKED, so workers running at once never
    claim the same source; the lease keeps it theirs after the commit.
    """
    now = now or utcnow()
    candidates = select(Source.id).where(*_claimable(now))
    if due_only:
        candidates = candidates.where(Source.next_check_at <= now)
    if source_ids is not None:
        candidates = candidates.where(Source.id.in_(source_ids))
    candidates = (candidates.order_by(Source.next_check_at, Source.id).limit(limit)
                  .with_for_update(skip_locked=True).correlate(None))
    claimed = session.execute(
        update(Source).where(Source.id.in_(candidates.scalar_subquery())).values(lease_until=now + LEASE)
        .returning(Source.id, Source.url, Source.etag, Source.last_modified)
        .execution_options(synchronize_session=False)).all()
    session.commit()
    return [tuple(row) for row in claimed]


def _set_lease(session, source_ids, until):
    if source_ids:
        session.execute(update(Source).where(Source.id.in_(list(source_ids))).values(lease_until=until)
                        .execution_options(synchronize_session=False))
        session.commit()


def release(session, source_ids):
    """Give back claimed sources that were not processed (the worker is stopping, or failed)."""
    _set_lease(session, source_ids, None)


def renew(session, source_ids, now=None):
    """Extend the leases of sources this pass still holds."""
    _set_lease(session, source_ids, (now or utcnow()) + LEASE)


def after_hub_failure(source, *, now):
    """The hub failed on this source (storing it raised): no error is counted against the
    source; it is released and tried again soon."""
    source.lease_until = None
    source.next_check_at = now + HUB_RETRY


def backoff(error_count):
    """30 min, 1 h, 2 h, ... up to a day."""
    return min(MAX_INTERVAL, DEFAULT_INTERVAL * 2 ** max(0, error_count - 1))


def after_success(source, *, now, publish_gap=None, ttl_seconds=None, max_age=None, status=200):
    """Health and next check after a 200 or 304."""
    source.last_checked_at = now
    source.last_success_at = now
    source.last_status = status
    source.error_count = 0
    source.last_error_code = source.last_error_detail = None
    source.lease_until = None
    interval = source.interval_seconds or DEFAULT_INTERVAL
    if publish_gap:
        interval = clamp(publish_gap)  # publishes hourly -> check hourly; daily -> daily
    # the publisher's own hint (RSS ttl, Cache-Control max-age) is respected within bounds
    hint = max(ttl_seconds or 0, max_age or 0)
    if hint:
        interval = max(interval, clamp(hint))
    source.interval_seconds = clamp(interval)
    source.next_check_at = now + timedelta(seconds=source.interval_seconds)


def after_failure(source, *, now, status, code, detail=None, retry_after=None, gone=False):
    """Health and next check after an error; exponential backoff, Retry-After honoured."""
    source.last_checked_at = now
    source.last_status = status or None
    source.error_count = (source.error_count or 0) + 1
    source.last_error_code, source.last_error_detail = code, detail
    source.lease_until = None
    if gone:
        source.stopped_at = now
    wait = backoff(source.error_count)
    if retry_after:
        wait = max(wait, min(MAX_INTERVAL, retry_after))
    source.next_check_at = now + timedelta(seconds=wait)


def note_redirect(session, source, new_url):
    """Follow a permanent redirect for good once it has been seen twice in a row."""
    if not new_url or new_url == source.url:
        source.redirect_url, source.redirect_count = None, 0
        return
    if source.redirect_url == new_url:
        source.redirect_count += 1
    else:
        source.redirect_url, source.redirect_count = new_url, 1
    if source.redirect_count >= REDIRECT_CONFIRMATIONS:
        taken = session.scalar(select(Source.id).where(Source.url == new_url, Source.id != source.id))
        if taken is None:  # another source already has that URL: keep both, never merge silently
            source.url = new_url
            source.redirect_url, source.redirect_count = None, 0
