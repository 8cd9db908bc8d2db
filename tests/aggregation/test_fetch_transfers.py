"""Fetches through libcurl, driven by one thread (hub.aggregation.fetch.Fetcher.fetch_many): at
most `pool_size` at once to a host and `at_once` in all, kept-alive connections reused across
calls, no socket left open, certificates checked, odd addresses and long redirect chains handled.
A raw HTTP/1.1 server on loopback counts connections and requests in flight."""
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time

import pytest

from hub.aggregation.fetch import LATER, Fetcher
from tests.aggregation.helpers import LoopbackServer


class CountingServer(LoopbackServer):
    """Answers every request after `delay` seconds with a small feed (or a 304 to If-None-Match),
    keeping connections alive; counts connections, requests in flight (and their most) and paths."""

    def __init__(self, delay=0.05, context=None):
        self.delay, self.context = delay, context
        self.in_flight = self.most = 0
        self.paths = []
        super().__init__()

    def url(self, path="/feed"):
        return super().url(path)

    def _serve(self, conn):
        try:
            if self.context is not None:
                conn = self.context.wrap_socket(conn, server_side=True)
            buffer = b""
            while True:
                while b"\r\n\r\n" not in buffer:
                    data = conn.recv(4096)
                    if not data:
                        return
                    buffer += data
                head, buffer = buffer.split(b"\r\n\r\n", 1)
                with self.lock:
                    self.in_flight += 1
                    self.most = max(self.most, self.in_flight)
                    self.paths.append(head.split(b" ")[1].decode("ascii"))
                time.sleep(self.delay)
                with self.lock:
                    self.in_flight -= 1
                if b"if-none-match" in head.lower():
                    conn.sendall(b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n')
                else:
                    body = b"<rss version='2.0'><channel><title>t</title></channel></rss>"
                    conn.sendall(b'HTTP/1.1 200 OK\r\nETag: "v1"\r\nContent-Type: application/rss+xml\r\n'
                                 b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.close()


@pytest.fixture
def server():
    counting = CountingServer()
    yield counting
    counting.close()


def fetch_all(fetcher, urls, **options):
    """fetch_many over the urls; returns {index: FetchResult}."""
    requests = [(n, url, None, None) for n, url in enumerate(urls)]
    results = {}

    def deliver(key, result):
        assert key not in results, "delivered twice"
        results[key] = result
    fetcher.fetch_many(lambda _wait: requests.pop(0) if requests else None, deliver, **options)
    return results


def test_at_most_pool_size_at_once_to_a_host_and_connections_are_kept_alive(server):
    fetcher = Fetcher(allow_private=True, pool_size=2)
    try:
        results = fetch_all(fetcher, [server.url(f"/f{n}") for n in range(12)], at_once=16)
        assert sorted(results) == list(range(12)) and {r.status for r in results.values()} == {200}
        assert server.most == 2  # two at once (the server waits 50 ms in each): never a third
        assert server.connections == 2  # twelve requests over the two kept-alive connections
        results = fetch_all(fetcher, [server.url(f"/g{n}") for n in range(4)])  # a later pass
        assert {r.status for r in results.values()} == {200} and server.connections == 2
    finally:
        fetcher.close()


def test_at_once_bounds_the_fetches_taken(server):
    fetcher = Fetcher(allow_private=True, pool_size=10)
    try:
        results = fetch_all(fetcher, [server.url(f"/f{n}") for n in range(9)], at_once=3)
        assert len(results) == 9 and server.most == 3
    finally:
        fetcher.close()


def test_later_means_nothing_starts_until_a_request_is_given(server):
    """next_request answers LATER until the test lets it go on: the fetches wait, then all run."""
    fetcher = Fetcher(allow_private=True)
    gate, asked, requests = threading.Event(), [], [(n, server.url(f"/f{n}"), None, None) for n in range(3)]

    def next_request(wait):
        if not gate.is_set():
            asked.append(len(server.paths))  # what reached the server while it waited
            time.sleep(wait)
            return LATER
        return requests.pop(0) if requests else None
    results = []
    threading.Timer(0.3, gate.set).start()
    fetcher.fetch_many(next_request, lambda key, result: results.append((key, result.status)))
    fetcher.close()
    assert sorted(results) == [(0, 200), (1, 200), (2, 200)]
    assert len(asked) >= 2 and set(asked) == {0}  # asked again and again, nothing sent meanwhile
    assert sorted(server.paths) == ["/f0", "/f1", "/f2"]


def open_sockets():
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:
            pass  # closed meanwhile (the listing's own descriptor among them)
    return count


def test_no_socket_is_left_open(server):
    if not os.path.exists("/proc/self/fd"):
        pytest.skip("no /proc here")
    before = open_sockets()
    fetcher = Fetcher(allow_private=True, pool_size=3)
    fetch_all(fetcher, [server.url(f"/f{n}") for n in range(10)])
    assert Fetcher().fetch(server.url()).error == "private_address"  # refused: no socket either
    assert open_sockets() > before  # the kept-alive connections (and the server's ends)
    fetcher.close()
    ends = time.monotonic() + 5
    while open_sockets() > before and time.monotonic() < ends:
        time.sleep(0.05)  # the server's threads close their ends once the hub hangs up
    assert open_sockets() == before


def test_an_address_with_other_characters_is_sent_escaped(server):
    result = Fetcher(allow_private=True).fetch(server.url("/berita/kabar-é?q=ü ü"))
    assert result.status == 200
    assert server.paths == ["/berita/kabar-%C3%A9?q=%C3%BC%20%C3%BC"]


def test_a_long_redirect_chain_ends(httpserver):
    for n in range(8):
        httpserver.expect_request(f"/r{n}").respond_with_data("", status=302, headers={"Location": f"/r{n + 1}"})
    result = Fetcher(allow_private=True).fetch(httpserver.url_for("/r0"))
    assert result.error == "too_many_redirects" and len(httpserver.log) == 6  # the first and five hops


def test_a_refused_connection_is_a_connection_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: refused
        result = Fetcher(allow_private=True).fetch(f"http://127.0.0.1:{port}/feed")
    assert result.error == "connection" and result.status == 0


@pytest.fixture
def self_signed(tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("the openssl command makes the test's certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(key), "-out", str(cert), "-days", "1"], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    counting = CountingServer(delay=0, context=context)
    yield counting
    counting.close()


def test_a_certificate_nobody_vouches_for_is_refused(self_signed):
    result = Fetcher(allow_private=True).fetch(f"https://127.0.0.1:{self_signed.port}/feed")
    assert result.error == "ssl" and result.body is None
    assert self_signed.paths == []  # no request went over the unverified connection


def test_a_stop_ends_the_running_and_the_queued_fetches_at_once():
    slow = CountingServer(delay=2.0)
    fetcher = Fetcher(allow_private=True, pool_size=1)
    try:
        threading.Timer(0.3, fetcher.abort_all).start()
        started = time.monotonic()
        results = fetch_all(fetcher, [slow.url(f"/f{n}") for n in range(3)])  # one running, two queued
        assert time.monotonic() - started < 1.5
        assert sorted(results) == [0, 1, 2] and {r.error for r in results.values()} == {"aborted"}
        assert slow.paths == ["/f0"]  # the queued ones were never sent
    finally:
        fetcher.close()
        slow.close()


def test_a_failure_while_fetching_still_delivers_every_request_taken(server):
    """The caller's deliver fails at the first result: the call raises, and the fetches taken and
    not delivered (one running, one queued behind it) still come back, as the hub's failure."""
    fetcher = Fetcher(allow_private=True, pool_size=1)
    requests = [(n, server.url(f"/f{n}"), None, None) for n in range(3)]
    delivered = []

    def deliver(key, result):
        delivered.append((key, result.status, result.error))
        if len(delivered) == 1:
            raise RuntimeError("the caller failed")
    with pytest.raises(RuntimeError):
        fetcher.fetch_many(lambda _wait: requests.pop(0) if requests else None, deliver)
    fetcher.close()
    assert delivered[0] == (0, 200, None)
    assert sorted(delivered[1:]) == [(1, 0, "internal"), (2, 0, "internal")]
