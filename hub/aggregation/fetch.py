"""HTTP for feeds: timeouts, a size cap, gzip, redirects, conditional GET, an address guard.

No database, no Flask. A fetch never raises for network trouble: its FetchResult's `error` is a
short code (hub.aggregation.errors turns it into a sentence when shown).

libcurl (pycurl), every transfer of a pass driven by one thread through a CurlMulti: a 304
costs ~50 us of CPU, where urllib3 in 16 threads cost ~500 us (Python parsing the status line
and headers, and 16 threads taking turns at the GIL); an unchanged pass of 1,000 feeds was
mostly that. Fetcher.fetch_many is the worker's; Fetcher.fetch is one address (discovery, tests).

The address guard is libcurl's socket callback: every connection, on every redirect hop, is
opened here only after its address is vetted, so a second DNS answer cannot swap in a private
address. No proxy and no .netrc is read from the environment.
"""
import ipaddress
import math
import os
import socket
import ssl
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import pycurl

USER_AGENT = ("JejaringKIM/0.1 (feed aggregator of a Kelompok Informasi Masyarakat hub; "
              "polite: conditional GET, backoff)")
ACCEPT = ("Accept: application/rss+xml, application/atom+xml, application/feed+json, "
          "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8")
MAX_BYTES = 10 * 1024 * 1024
TIMEOUT = (5, 20)  # connect, and the longest silence while reading (seconds)
DEADLINE = 30.0  # the whole fetch, wall clock: connect, headers, body, every redirect hop
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
KEPT_CONNECTIONS = 200  # kept-alive connections held between fetches (sockets are file descriptors)
LATER = object()  # fetch_many's next_request: nothing to start now, ask again soon

# libcurl's error numbers, as the hub's codes (hub.aggregation.errors); any other is "connection"
_CURL_ERRORS = {1: "bad_url", 3: "bad_url", 6: "dns", 28: "timeout", 63: "too_large", 47: "too_many_redirects"}
_CURL_ERRORS.update(dict.fromkeys((35, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91, 98), "ssl"))
_CONNECT_FAILED = 7


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


def _ca_file():
    """The system's certificate authorities (as Python's ssl module finds them), else certifi's:
    a libcurl built elsewhere (pycurl's wheel) looks for its own bundle where Debian has none."""
    paths = ssl.get_default_verify_paths()
    for path in (paths.cafile, paths.openssl_cafile):
        if path and os.path.exists(path):
            return path
    try:
        import certifi
        return certifi.where()
    except ImportError:  # pragma: no cover - requests brings certifi
        return None


_CA_FILE = _ca_file()


def _ascii_url(url):
    """The address as libcurl takes it: a non-ASCII host in IDNA, other characters %-escaped."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        host = quote(host, safe="")
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    if ":" in (parts.hostname or "") and not host.startswith("["):
        netloc = f"[{host}]" + (f":{parts.port}" if parts.port is not None else "")
    safe = "/:@!$&'()*+,;=%~-._"
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe=safe), quote(parts.query, safe=safe + "?"),
                       quote(parts.fragment, safe=safe + "?")))


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


class _Transfer:
    """One fetch in progress: its hops, what came back of the current one, and its verdicts."""

    __slots__ = ("key", "url", "current", "validators", "started", "limit", "hops", "permanent", "host",
                 "lines", "headers_done", "chunks", "size", "max_bytes", "too_large", "blocked", "allowed",
                 "opened")

    def __init__(self, key, url, validators, limit, max_bytes, allowed):
        self.key, self.url, self.current, self.validators = key, url, url, validators
        self.started, self.limit = time.monotonic(), limit
        self.hops, self.permanent = 0, True
        self.host = (urlsplit(url).hostname or "") if url else ""
        self.max_bytes, self.allowed = max_bytes, allowed
        self.too_large = False
        self.blocked = None
        self.opened = []
        self._clear()

    def _clear(self):
        self.lines, self.headers_done, self.chunks, self.size = [], False, [], 0

    def left(self):
        return self.limit - (time.monotonic() - self.started)

    # libcurl's callbacks, run in the driving thread while it performs
    def header(self, line):
        if line[:5] == b"HTTP/":  # a new answer (after an interim 1xx): its own headers
            self.lines, self.headers_done = [], False
        if line in (b"\r\n", b"\n"):
            self.headers_done = True
        self.lines.append(line)

    def write(self, chunk):
        self.size += len(chunk)
        if self.size > self.max_bytes:
            self.too_large = True
            return 0  # libcurl ends the transfer (a write error)
        self.chunks.append(chunk)
        return None

    def open_socket(self, _purpose, address):
        if not self.allowed(address.addr[0]):
            self.blocked = address.addr[0]
            return pycurl.SOCKET_BAD  # libcurl tries the host's next address, if any, the same way
        sock = socket.socket(address.family, address.socktype, address.protocol)
        self.opened.append(sock)  # pycurl hands libcurl a dup() of it: this one is closed at the hop's end
        return sock

    def close_opened(self):
        for sock in self.opened:
            sock.close()
        self.opened = []

    def headers(self):
        """The current answer's headers, names in lower case (repeated ones joined by ", ")."""
        headers = {}
        for line in self.lines[1:]:
            name, sep, value = line.decode("latin-1").partition(":")
            if sep:
                name, value = name.strip().lower(), value.strip()
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
        return headers


class Fetcher:
    """Fetches feeds through libcurl. Kept-alive connections stay in its CurlMulti between calls
    of fetch_many; a Fetcher may be used by several threads, each call driving its own transfers."""

    def __init__(self, allow_private=False, user_agent=USER_AGENT, timeout=TIMEOUT, max_bytes=MAX_BYTES,
                 pool_size=10, address_allowed=is_public_address, deadline=DEADLINE):
        self.allow_private = allow_private
        self.address_allowed = _allow_all if allow_private else address_allowed
        self.deadline = deadline
        self.aborting = False
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.pool_size = pool_size  # transfers at once to one host
        self._lock = threading.Lock()
        self._handles = []  # idle easy handles
        self._multi = None  # the kept one (its connection cache), lent to one call at a time
        self._multi_lent = False

    def close(self):
        """Close the idle handles and the kept connections (a call in progress keeps its own)."""
        with self._lock:
            handles, self._handles = self._handles, []
            multi = None
            if not self._multi_lent:
                multi, self._multi = self._multi, None
        for handle in handles:
            handle.close()
        if multi is not None:
            multi.close()

    def abort_all(self):
        """Cut every fetch in progress now (the worker is stopping): each ends at once with error
        "aborted", which is the hub's doing and no fault of the source; so do fetches about to begin."""
        self.aborting = True

    def resume(self):
        self.aborting = False

    def fetch(self, url, etag=None, last_modified=None, deadline=None) -> FetchResult:
        """GET a feed, conditionally when validators are given, within `deadline` seconds of wall
        clock in all (default: the fetcher's). Never raises for network errors."""
        results, requests = [], [(None, url, etag, last_modified)]
        self.fetch_many(lambda _wait: requests.pop() if requests else None,
                        lambda _key, result: results.append(result), deadline=deadline)
        return results[0]

    def fetch_many(self, next_request, deliver, *, at_once=16, deadline=None):
        """Fetch, in this thread, what next_request(wait) gives: (key, url, etag, last_modified);
        None once nothing is left, LATER when nothing may start now (it may block up to `wait`
        seconds first). At most `at_once` taken and not delivered, and `pool_size` running per
        host (the rest of a host's wait their turn). deliver(key, FetchResult) is called here as
        each ends; every request taken is delivered once, whatever happens."""
        limit = self.deadline if deadline is None else deadline
        multi = self._lend_multi()
        running = {}  # easy handle -> transfer
        queued = defaultdict(deque)  # host -> transfers taken, waiting for one of its places
        per_host = defaultdict(int)
        taken, exhausted = 0, False

        def done(transfer, result):
            nonlocal taken
            taken -= 1
            result.elapsed = time.monotonic() - transfer.started
            deliver(transfer.key, result)

        def start(transfer):
            left = transfer.left()
            if left <= 0:
                return done(transfer, FetchResult(url=transfer.url, error="timeout"))
            handle = self._handle()
            self._prepare(handle, transfer, left)
            running[handle] = transfer
            per_host[transfer.host] += 1
            multi.add_handle(handle)

        def place(transfer):
            """Start it, or queue it behind its host's running transfers."""
            if per_host[transfer.host] >= self.pool_size:
                queued[transfer.host].append(transfer)
            else:
                start(transfer)

        def ended(handle, transfer):
            """The handle's hop ended (done, or libcurl's error): its host's next one starts."""
            del running[handle]
            multi.remove_handle(handle)
            transfer.close_opened()
            per_host[transfer.host] -= 1
            line = queued.get(transfer.host)
            if line:
                start(line.popleft())
                if not line:
                    del queued[transfer.host]
            elif not per_host[transfer.host]:
                del per_host[transfer.host]

        def dropped(broken=False):
            """Every transfer taken and not delivered, its handle let go: to be delivered now."""
            transfers = [t for line in queued.values() for t in line] + list(running.values())
            for handle, transfer in running.items():
                multi.remove_handle(handle)
                transfer.close_opened()
                self._give_back(handle, broken=broken)
            queued.clear()
            running.clear()
            per_host.clear()
            return transfers

        try:
            while True:
                if self.aborting:
                    for transfer in dropped():
                        done(transfer, FetchResult(url=transfer.url, error="aborted"))
                while not exhausted and taken < at_once:
                    request = next_request(0 if running else 0.1)
                    if request is None:
                        exhausted = True
                        break
                    if request is LATER:
                        break
                    taken += 1
                    key, url, etag, last_modified = request
                    transfer = _Transfer(key, url, (etag, last_modified), limit, self.max_bytes,
                                         self.address_allowed)
                    if self.aborting:
                        done(transfer, FetchResult(url=url, error="aborted"))
                    elif not _fetchable(url):
                        done(transfer, FetchResult(url=url, error="bad_url"))
                    else:
                        place(transfer)
                if not running:
                    if exhausted:
                        return  # (nothing can be queued with nothing running)
                    continue
                while multi.perform()[0] == pycurl.E_CALL_MULTI_PERFORM:
                    pass
                while True:
                    left, finished, failed = multi.info_read()
                    for handle in finished:
                        transfer = running[handle]
                        ended(handle, transfer)
                        self._answered(handle, transfer, 0, done, place)
                    for handle, number, _message in failed:
                        transfer = running[handle]
                        ended(handle, transfer)
                        self._answered(handle, transfer, number, done, place)
                    if not left:
                        break
                if running:
                    wait = multi.timeout()
                    multi.select(0.1 if wait < 0 else min(0.1, wait / 1000))
        finally:
            # whatever went wrong (a bug here, a deliver that raised), nothing taken is lost
            lost = dropped(broken=True)
            self._return_multi(multi)
            for transfer in lost:
                try:
                    deliver(transfer.key, FetchResult(url=transfer.url, error="internal"))
                except Exception:  # noqa: BLE001 - the caller's own failure is already on its way up
                    pass

    def _answered(self, handle, transfer, number, done, place):
        """A hop ended: follow its redirect, or deliver its result."""
        status = handle.getinfo(pycurl.RESPONSE_CODE) if transfer.headers_done else 0
        self._give_back(handle)
        headers = transfer.headers() if transfer.headers_done else {}
        if not number and status in REDIRECTS and headers.get("location"):
            transfer.hops += 1
            if transfer.hops > MAX_REDIRECTS:
                return done(transfer, FetchResult(url=transfer.url, error="too_many_redirects"))
            transfer.permanent = transfer.permanent and status in (301, 308)
            transfer.current = urljoin(transfer.current, headers["location"])
            if not _fetchable(transfer.current):
                return done(transfer, FetchResult(url=transfer.url, error="bad_url"))
            transfer.host = urlsplit(transfer.current).hostname or ""
            transfer._clear()
            return place(transfer)
        result = FetchResult(url=transfer.url, status=status, headers=headers, etag=headers.get("etag"),
                             last_modified=headers.get("last-modified"), content_type=headers.get("content-type", ""),
                             cache_max_age=_max_age(headers.get("cache-control")))
        if number:
            if transfer.too_large:
                result.error = "too_large"
            elif number == _CONNECT_FAILED and transfer.blocked:
                result.error = "private_address"
            else:
                result.error = _CURL_ERRORS.get(number, "connection")
            return done(transfer, result)
        result.final_url = transfer.current
        if transfer.current != transfer.url and transfer.permanent:
            result.permanent_redirect = transfer.current
        if status == 200:
            result.body = b"".join(transfer.chunks)
        elif status != 304:
            result.retry_after = _retry_after(headers.get("retry-after"))
            result.error = {410: "gone", 429: "rate_limited", 503: "unavailable", 404: "not_found",
                            403: "forbidden"}.get(status, "http")
        transfer.chunks = []
        return done(transfer, result)

    def _prepare(self, handle, transfer, left):
        """The per-hop options: where, which validators, the time left of the fetch."""
        etag, last_modified = transfer.validators
        headers = [ACCEPT]
        if etag:
            headers.append("If-None-Match: " + etag)
        if last_modified:
            headers.append("If-Modified-Since: " + last_modified)
        handle.setopt(pycurl.URL, _ascii_url(transfer.current))
        handle.setopt(pycurl.HTTPHEADER, headers)
        handle.setopt(pycurl.TIMEOUT_MS, max(1, int(left * 1000)))
        handle.setopt(pycurl.CONNECTTIMEOUT_MS, max(1, int(min(self.timeout[0], left) * 1000)))
        handle.setopt(pycurl.LOW_SPEED_TIME, max(1, math.ceil(self.timeout[1])))
        handle.setopt(pycurl.HEADERFUNCTION, transfer.header)
        handle.setopt(pycurl.WRITEFUNCTION, transfer.write)
        handle.setopt(pycurl.OPENSOCKETFUNCTION, transfer.open_socket)

    def _handle(self):
        with self._lock:
            if self._handles:
                return self._handles.pop()
        handle = pycurl.Curl()
        handle.setopt(pycurl.NOSIGNAL, 1)
        handle.setopt(pycurl.PROXY, "")  # none from the environment
        handle.setopt(pycurl.PROTOCOLS, pycurl.PROTO_HTTP | pycurl.PROTO_HTTPS)
        handle.setopt(pycurl.FOLLOWLOCATION, 0)  # followed here, each hop vetted
        handle.setopt(pycurl.USERAGENT, self.user_agent)
        handle.setopt(pycurl.ACCEPT_ENCODING, "gzip, deflate")
        handle.setopt(pycurl.MAXFILESIZE_LARGE, self.max_bytes)  # a Content-Length over the cap
        handle.setopt(pycurl.LOW_SPEED_LIMIT, 1)  # bytes per second: below it for LOW_SPEED_TIME is a timeout
        if _CA_FILE:
            handle.setopt(pycurl.CAINFO, _CA_FILE)
        return handle

    def _give_back(self, handle, broken=False):
        handle.setopt(pycurl.HEADERFUNCTION, _ignore)  # the transfer is not kept alive through its callbacks
        handle.setopt(pycurl.WRITEFUNCTION, _ignore)
        handle.setopt(pycurl.OPENSOCKETFUNCTION, _no_socket)
        if broken:
            handle.close()
            return
        with self._lock:
            self._handles.append(handle)

    def _lend_multi(self):
        with self._lock:
            if not self._multi_lent:
                self._multi_lent = True
                if self._multi is None:
                    self._multi = pycurl.CurlMulti()
                    self._multi.setopt(pycurl.M_MAXCONNECTS, KEPT_CONNECTIONS)
                return self._multi
        return pycurl.CurlMulti()  # another thread holds the kept one: a multi of this call's own

    def _return_multi(self, multi):
        with self._lock:
            if multi is self._multi:
                self._multi_lent = False
                return
        multi.close()


def _ignore(_data):
    return None


def _no_socket(_purpose, _address):
    return pycurl.SOCKET_BAD


def _fetchable(url):
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
