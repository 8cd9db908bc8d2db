"""HTTP for feeds: timeouts, a size cap, gzip, redirects, conditional GET, an address guard.

No database, no Flask. fetch() never raises for network trouble: it returns a FetchResult whose
`error` is a short code (hub.aggregation.errors turns it into a sentence when shown).

urllib3 directly (not requests): a 304 costs a third of the CPU, and the worker spends most of an
unchanged pass there. One PoolManager is shared by the fetch threads (it is thread-safe).
"""
import heapq
import ipaddress
import itertools
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import HTTPError, NameResolutionError, NewConnectionError
from urllib3.util import connection as urllib3_connection

USER_AGENT = ("JejaringKIM/0.1 (feed aggregator of a Kelompok Informasi Masyarakat hub; "
              "polite: conditional GET, backoff)")
MAX_BYTES = 10 * 1024 * 1024
TIMEOUT = (5, 20)  # connect, and the longest silence while reading (seconds)
DEADLINE = 30.0  # the whole fetch, wall clock: connect, headers, body, every redirect hop
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
HOST_POOLS = 200  # hosts whose kept-alive connections are held at once (sockets are file descriptors)


class _Watchdog:
    """One thread that fires every fetch's Deadline when its time is up (a timer thread per
    fetch cost more than the fetch of a 304)."""

    def __init__(self):
        self._heap, self._count = [], itertools.count()
        self._condition = threading.Condition()
        self._thread = None

    def watch(self, when, deadline):
        with self._condition:
            heapq.heappush(self._heap, (when, next(self._count), deadline))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="hub-fetch-deadlines", daemon=True)
                self._thread.start()
            elif self._heap[0][2] is deadline:
                self._condition.notify()

    def _run(self):
        with self._condition:
            while True:
                while self._heap and self._heap[0][2].over:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._condition.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._condition.wait(wait)
                    continue
                heapq.heappop(self._heap)[2].fire("timeout")


_watchdog = _Watchdog()


class Deadline:
    """A fetch's wall-clock limit. Every socket the fetch opens or reuses is registered; when
    the time is up (or the worker is stopping) a timer shuts them down, so a read blocked on a
    server that trickles one byte a second, in the headers or in the body, returns at once.
    A per-read timeout alone never fires on such a server."""

    def __init__(self, seconds):
        self.seconds = max(0.0, seconds)
        self.reason = None  # "timeout" or "aborted" once fired
        self.over = False  # the fetch has ended: firing changes nothing any more
        self._sockets = []
        self._lock = threading.Lock()

    def __enter__(self):
        _current.deadline = self
        _watchdog.watch(time.monotonic() + self.seconds, self)
        return self

    def __exit__(self, *exc):
        _current.deadline = None
        with self._lock:
            self.over = True
            self._sockets.clear()

    def add(self, sock):
        with self._lock:
            if self.reason is None:
                self._sockets.append(sock)
                return
        _shutdown(sock)  # already over: do not even start

    def finish(self):
        """The fetch got its whole answer: a timer firing from now on changes nothing."""
        with self._lock:
            if self.reason is None:
                self.reason = "done"
            self._sockets.clear()

    @property
    def cut(self):
        return self.reason in ("timeout", "aborted")

    def fire(self, reason):
        with self._lock:
            if self.over:
                return
            if self.reason is None:
                self.reason = reason
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _shutdown(sock)


def _shutdown(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


_current = threading.local()  # the Deadline of the fetch this thread is running


def _register(sock):
    deadline = getattr(_current, "deadline", None)
    if deadline is not None and sock is not None:
        deadline.add(sock)


class BlockedAddress(Exception):
    """Raised inside a connection attempt to a non-public address (not an OSError on purpose,
    so that no retry layer swallows it)."""


# IPv6 forms that carry an IPv4 address inside: the embedded address is the one reached
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(address):
    """The IPv4 address an IPv6 address leads to (mapped, 6to4, NAT64, IPv4-compatible), if any."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if any(address in net for net in _NAT64) or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(ip: str) -> bool:
    """True for globally routable unicast addresses only. An IPv6 address that embeds an IPv4
    one (::ffff:a.b.c.d, 2002:: 6to4, 64:ff9b:: NAT64, ::a.b.c.d) is judged by that IPv4."""
    try:
        address = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return False
    if address.version == 6:
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            address = embedded
    return address.is_global and not address.is_multicast


def _allow_all(_address):
    return True


def guarded_pool_manager(address_allowed=is_public_address, **kwargs):
    """A urllib3 PoolManager whose connections resolve the host, refuse it if any address fails
    `address_allowed`, then connect to the vetted address (so a second DNS answer cannot swap
    in a private one). Applies to every hop of a redirect chain. Every socket, new or reused
    from the pool, is put under the running fetch's Deadline."""

    def request(self, *args, **kw):
        _register(self.sock)  # a kept-alive connection: its socket is already open
        return self._hub_request(*args, **kw)

    def new_conn(self):
        sock = _connect(self)
        _register(sock)
        return sock

    def _connect(self):
        try:
            infos = socket.getaddrinfo(self._dns_host, self.port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        for info in infos:
            if not address_allowed(info[4][0]):
                raise BlockedAddress(info[4][0])
        error = None
        for info in infos:
            try:
                return urllib3_connection.create_connection(
                    (info[4][0], self.port), self.timeout, source_address=self.source_address,
                    socket_options=self.socket_options)
            except OSError as exc:
                error = exc
        raise NewConnectionError(self, f"Failed to establish a new connection: {error}")

    members = {"_new_conn": new_conn, "request": request}
    http_conn = type("GuardedHTTPConnection", (HTTPConnection,), dict(members, _hub_request=HTTPConnection.request))
    https_conn = type("GuardedHTTPSConnection", (HTTPSConnection,),
                      dict(members, _hub_request=HTTPSConnection.request))
    manager = urllib3.PoolManager(**kwargs)
    manager.pool_classes_by_scheme = {
        "http": type("GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
        "https": type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn})}
    return manager


@dataclass
class FetchResult:
    url: str  # the URL asked for
    final_url: str = ""
    status: int = 0  # 0: no HTTP answer
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""
    cache_max_age: int | None = None
    retry_after: int | None = None
    permanent_redirect: str | None = None  # where every hop said "moved permanently"
    error: str | None = None  # a code of hub.aggregation.errors
    elapsed: float = 0.0
    headers: dict = field(default_factory=dict)

    @property
    def detail(self):
        """What the error's sentence names: the HTTP status of a generic HTTP error."""
        return str(self.status) if self.error == "http" else None

    @property
    def ok(self):
        return self.status == 200 and self.body is not None and self.error is None

    @property
    def not_modified(self):
        return self.status == 304


def _retry_after(value):
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        return max(0, int(parsedate_to_datetime(value).timestamp() - time.time()))
    except (TypeError, ValueError):
        return None


def _max_age(cache_control):
    for part in (cache_control or "").split(","):
        name, _sep, value = part.strip().partition("=")
        if name.lower() == "max-age" and value.strip().isdigit():
            return int(value.strip())
    return None


class Fetcher:
    """Fetches feeds; connection pools (pool_size per host) kept between calls, shared by threads."""

    def __init__(self, allow_private=False, user_agent=USER_AGENT, timeout=TIMEOUT, max_bytes=MAX_BYTES,
                 pool_size=10, address_allowed=is_public_address, deadline=DEADLINE):
        self.allow_private = allow_private
        self.address_allowed = _allow_all if allow_private else address_allowed
        self.deadline = deadline
        self._running = set()  # the Deadlines of fetches in progress (abort_all)
        self.aborting = False
        self._running_lock = threading.Lock()
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.pool_size = pool_size
        self._manager = None
        self._manager_lock = threading.Lock()

    def _pools(self):
        if self._manager is None:
            with self._manager_lock:
                if self._manager is None:
                    # no proxies or netrc from the environment: urllib3 reads none
                    self._manager = guarded_pool_manager(self.address_allowed, num_pools=HOST_POOLS,
                                                         maxsize=self.pool_size, block=False, retries=False)
        return self._manager

    def close(self):
        with self._manager_lock:
            if self._manager is not None:
                self._manager.clear()
                self._manager = None

    def abort_all(self):
        """Cut every fetch in progress now (the worker is stopping): each returns at once with
        error "aborted", which is the hub's doing and no fault of the source."""
        with self._running_lock:
            self.aborting = True  # and fetches about to begin end at once too
            running = list(self._running)
        for deadline in running:
            deadline.fire("aborted")

    def resume(self):
        with self._running_lock:
            self.aborting = False

    def fetch(self, url, etag=None, last_modified=None, deadline=None) -> FetchResult:
        """GET a feed, conditionally when validators are given, within `deadline` seconds of wall
        clock in all (default: the fetcher's). Never raises for network errors."""
        limit = Deadline(self.deadline if deadline is None else deadline)
        with self._running_lock:
            if self.aborting:
                return self._fail(FetchResult(url=url), "aborted", time.monotonic())
            self._running.add(limit)
        try:
            with limit:
                result = self._fetch(url, etag, last_modified, limit)
        finally:
            with self._running_lock:
                self._running.discard(limit)
        if limit.cut:
            # whatever the cut socket made of the answer (an error, or a short read that looks
            # complete), it was the deadline or the stop
            result.body = None
            result.error = limit.reason
        return result

    def _fetch(self, url, etag, last_modified, limit) -> FetchResult:
        started = time.monotonic()
        result = FetchResult(url=url)
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate",
                   "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
                             "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current, permanent = url, True
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                if urlsplit(current).scheme.lower() not in ("http", "https") or not urlsplit(current).hostname:
                    return self._fail(result, "bad_url", started)
                left = limit.seconds - (time.monotonic() - started)
                if left <= 0 or limit.cut:
                    return self._fail(result, "timeout", started)
                timeout = urllib3.Timeout(connect=min(self.timeout[0], left), read=min(self.timeout[1], left))
                response = self._pools().urlopen("GET", current, headers=headers, timeout=timeout, redirect=False,
                                                 retries=False, preload_content=False, decode_content=True)
                if response.status in REDIRECTS and response.headers.get("Location"):
                    permanent = permanent and response.status in (301, 308)
                    current = urljoin(current, response.headers["Location"])
                    _let_go(response)
                    continue
                break
            else:
                return self._fail(result, "too_many_redirects", started)
            try:
                self._read(response, result, started, limit)
            finally:
                _let_go(response)
            limit.finish()
        except BlockedAddress:
            return self._fail(result, "private_address", started)
        except (urllib3.exceptions.SSLError, ssl.SSLError):
            return self._fail(result, "ssl", started)
        except NameResolutionError:
            return self._fail(result, "dns", started)
        except (urllib3.exceptions.TimeoutError, TimeoutError):
            return self._fail(result, "timeout", started)
        except (HTTPError, OSError) as exc:
            reason = str(exc)
            return self._fail(result, "dns" if "NameResolution" in reason or "Name or service" in reason
                              else "connection", started)
        except Exception:  # noqa: BLE001 - a socket cut by the deadline may surface as anything
            if not limit.cut:
                raise
            return self._fail(result, "timeout", started)
        result.final_url = current
        if current != url and permanent:
            result.permanent_redirect = current
        result.elapsed = time.monotonic() - started
        return result

    def _read(self, response, result, started, limit):
        """Read the answer into result."""
        headers = response.headers
        result.status = status = response.status
        result.headers = {k.lower(): v for k, v in headers.items()}
        result.etag = headers.get("ETag")
        result.last_modified = headers.get("Last-Modified")
        result.content_type = headers.get("Content-Type", "")
        result.cache_max_age = _max_age(headers.get("Cache-Control"))
        if status != 200:
            # read the (small) rest so that the keep-alive connection goes back to the pool
            try:
                response.read(64 * 1024, decode_content=False)
            except Exception:  # noqa: BLE001 - a broken error body does not matter
                pass
        if status == 304:
            return
        if status != 200:
            result.retry_after = _retry_after(response.headers.get("Retry-After"))
            code = {410: "gone", 429: "rate_limited", 503: "unavailable", 404: "not_found",
                    403: "forbidden"}.get(status, "http")
            result.error = code
            return
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            result.error = "too_large"
            return
        chunks, size = [], 0
        for chunk in response.stream(64 * 1024, decode_content=True):
            size += len(chunk)
            if size > self.max_bytes:
                result.error = "too_large"
                return
            if limit.cut or time.monotonic() - started > limit.seconds:
                result.error = "timeout"
                return
            chunks.append(chunk)
        result.body = b"".join(chunks)

    @staticmethod
    def _fail(result, code, started):
        result.error = code
        result.elapsed = time.monotonic() - started
        return result


def _let_go(response):
    """Give the connection back to the pool: as it is once the body was read to its end (urllib3
    has done so already), closed when some of it is left unread."""
    if not response.isclosed():
        response.close()
    response.release_conn()
