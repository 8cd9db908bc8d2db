"""Refresh benchmark: N feeds of M items served on loopback by a real static server.

    python bench/refresh.py [--feeds 1000] [--items 20] [--database URL]

Times, in one run: a plain requests + feedparser loop over the same feeds (the baseline, cold and
unchanged), then the hub's cold refresh into an empty database, a refresh where nothing changed
(every feed answers 304), and a refresh after 100 feeds gained one item. Prints each time, the
ratio to the baseline, items stored, HTTP status counts and peak memory.
"""
import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from words import WORDS  # noqa: E402  (bench/ is on the path when run as a script)


def sentence(rng, n=12):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def item_html(rng, i):
    parts = [f"<p>{sentence(rng, 20)} <strong>{sentence(rng, 4)}</strong> {sentence(rng, 15)}</p>",
             f'<p><a href="/berita/{i}">{sentence(rng, 5)}</a> '
             f'<img src="/foto/{i}.jpg" width="600" height="400" alt="foto"></p>',
             "<ul>" + "".join(f"<li>{sentence(rng, 6)}</li>" for _ in range(3)) + "</ul>",
             f"<p>{sentence(rng, 30)}</p>"]
    if rng.random() < 0.15:  # unsafe bits the cleaner must remove
        parts.append('<script>alert("x")</script><p onclick="steal()">klik</p>'
                     '<a href="javascript:alert(1)">tautan</a><iframe src="http://evil.example/"></iframe>')
    return "".join(parts)


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def make_feed(n, items, base_time, start=0):
    """Feed n; entry i is the same text whenever it is generated (start=-1 adds a newer one)."""
    kind = ("rss", "atom", "rdf")[n % 3]
    entries = []
    for i in range(start, start + items):
        rng = random.Random(n * 100003 + i)
        when = base_time - timedelta(hours=i * 3 + n % 7)
        entries.append((i, sentence(rng, 8), item_html(rng, i), when))
    entries.sort(key=lambda e: e[3], reverse=True)
    if kind == "rss":
        body = "".join(f"<item><title>{esc(t)}</title><link>https://sumber{n}.example.id/berita/{i}</link>"
                       f"<guid>https://sumber{n}.example.id/berita/{i}</guid><pubDate>{format_datetime(w)}</pubDate>"
                       f"<description>{esc(h)}</description></item>" for i, t, h, w in entries)
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Sumber {n}</title>'
                f"<link>https://sumber{n}.example.id/</link><description>Berita</description>{body}</channel></rss>")
    if kind == "atom":
        body = "".join(f'<entry><title>{esc(t)}</title><link href="https://sumber{n}.example.id/berita/{i}"/>'
                       f"<id>tag:sumber{n}.example.id,2026:{i}</id><updated>{w.isoformat()}</updated>"
                       f'<content type="html">{esc(h)}</content></entry>' for i, t, h, w in entries)
        return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>Sumber {n}</title><id>tag:sumber{n}.example.id,2026:feed</id>"
                f'<updated>{base_time.isoformat()}</updated><link href="https://sumber{n}.example.id/"/>{body}</feed>')
    body = "".join(f'<item rdf:about="https://sumber{n}.example.id/berita/{i}"><title>{esc(t)}</title>'
                   f"<link>https://sumber{n}.example.id/berita/{i}</link><dc:date>{w.isoformat()}</dc:date>"
                   f"<description>{esc(h)}</description></item>" for i, t, h, w in entries)
    return ('<?xml version="1.0" encoding="utf-8"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<channel rdf:about="https://sumber{n}.example.id/"><title>Sumber {n}</title>'
            f"<link>https://sumber{n}.example.id/</link><description>Berita</description></channel>{body}</rdf:RDF>")


def write_feeds(directory, feeds, items, base_time):
    for n in range(feeds):
        (directory / f"feed{n}.xml").write_text(make_feed(n, items, base_time))


# A static file server (Python's, which answers If-Modified-Since with 304) in its own process.
# TCP_NODELAY: without it every keep-alive response waits ~40 ms for a delayed ACK.
SERVER = """
import socket, sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from functools import partial
class Quiet(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def setup(self):
        super().setup()
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    def log_message(self, *args):
        pass
server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=sys.argv[1]))
server.daemon_threads = True
print(server.server_port, flush=True)
server.serve_forever()
"""

BASELINE = """
import json, resource, sys, time
import feedparser, requests
urls = json.loads(sys.stdin.read())
session = requests.Session()
def run(validators):
    start, items, statuses, new_validators = time.perf_counter(), 0, {}, {}
    for url in urls:
        headers = {"If-Modified-Since": validators[url]} if url in validators else {}
        response = session.get(url, headers=headers, timeout=20)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code == 200:
            items += len(feedparser.parse(response.content).entries)
        if response.headers.get("Last-Modified"):
            new_validators[url] = response.headers["Last-Modified"]
    return time.perf_counter() - start, items, statuses, new_validators
cold, items, statuses, validators = run({})
unchanged, _, statuses2, _ = run(validators)
print(json.dumps({"cold": cold, "items": items, "statuses": statuses, "unchanged": unchanged,
                  "statuses_unchanged": statuses2,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--changed", type=int, default=100)
    parser.add_argument("--database", default=None, help="SQLAlchemy URL (default: a new SQLite file)")
    parser.add_argument("--processes", type=int, default=None)
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()

    import json
    work = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    feeds_dir = work / "feeds"
    feeds_dir.mkdir()
    base_time = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=1)
    t = time.perf_counter()
    write_feeds(feeds_dir, args.feeds, args.items, base_time)
    size = sum(f.stat().st_size for f in feeds_dir.iterdir())
    print(f"generated {args.feeds} feeds x {args.items} items ({size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
    # old enough that a rewrite gets a later Last-Modified
    past = time.time() - 3600
    for f in feeds_dir.iterdir():
        os.utime(f, (past, past))

    server = subprocess.Popen([sys.executable, "-c", SERVER, str(feeds_dir)], stdout=subprocess.PIPE, text=True)
    port = int(server.stdout.readline())
    urls = [f"http://127.0.0.1:{port}/feed{n}.xml" for n in range(args.feeds)]
    try:
        baseline = None
        if not args.skip_baseline:
            out = subprocess.run([sys.executable, "-c", BASELINE], input=json.dumps(urls), capture_output=True,
                                 text=True, check=True)
            baseline = json.loads(out.stdout)
            print(f"baseline requests+feedparser: cold {baseline['cold']:.2f} s ({baseline['items']} items), "
                  f"unchanged {baseline['unchanged']:.2f} s {baseline['statuses_unchanged']}, "
                  f"peak {baseline['peak_mb']:.0f} MB")
        run_hub(args, work, urls, feeds_dir, base_time, baseline)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


def run_hub(args, work, urls, feeds_dir, base_time, baseline):
    os.environ.pop("HUB_DATABASE_URL", None)
    from flask_migrate import upgrade
    from sqlalchemy import func, insert, select

    from hub import create_app
    from hub.aggregation.worker import Refresher
    from hub.extensions import db
    from hub.models import Item, Kim, Source, Subscription

    url = args.database or f"sqlite:///{work / 'hub.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "HUB_ALLOW_PRIVATE_FEEDS": True},
                     instance_path=work / "instance")
    with app.app_context():
        upgrade()
        if db.session.scalar(select(func.count()).select_from(Source)):
            sys.exit("the benchmark database must be empty")
        kim = Kim(slug="bench", name="KIM Bench", nagari="Bench", kecamatan="Bench", kabupaten="Bench")
        db.session.add(kim)
        db.session.flush()
        db.session.execute(insert(Source), [{"url": u, "kind": "media"} for u in urls])
        ids = db.session.scalars(select(Source.id)).all()
        db.session.execute(insert(Subscription), [{"kim_id": kim.id, "source_id": i} for i in ids])
        db.session.commit()

        refresher = Refresher(app, processes=args.processes)

        def timed(label, base=None):
            start = time.perf_counter()
            summary = refresher.run_once(limit=len(urls) + 1, due_only=False)
            elapsed = time.perf_counter() - start
            stored = db.session.scalar(select(func.count()).select_from(Item))
            ratio = f"  = {elapsed / base:.2f}x baseline" if base else ""
            print(f"hub {label}: {elapsed:.2f} s{ratio}; {summary.new_items} new, {summary.updated_items} updated, "
                  f"{summary.errors} errors; items stored {stored}; HTTP {summary.statuses}")
            return elapsed

        timed("cold refresh", baseline and baseline["cold"])
        timed("unchanged refresh", baseline and baseline["unchanged"])
        for n in range(args.changed):  # one new entry on top, the rest unchanged
            (feeds_dir / f"feed{n}.xml").write_text(make_feed(n, args.items + 1, base_time, start=-1))
        timed(f"refresh after {args.changed} feeds changed")
        refresher.close()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: hub process {own:.0f} MB; largest child (parser process, server, baseline) {children:.0f} MB")


if __name__ == "__main__":
    main()
