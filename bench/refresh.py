"""Refresh benchmark: N feeds of M items served on loopback by nginx, as a real feed server.

    python bench/refresh.py [--feeds 1000 [4000 ...]] [--items 20] [--changed 100]
                            [--processes 2 [1 4 ...]] [--database postgresql://postgres@127.0.0.1:5432/]

For each number of feeds, in one run, three passes each: cold (an empty store), unchanged (every
feed answers 304) and after `--changed` feeds gained one entry.
- the baseline: a plain requests + feedparser loop (bench/feedloop.py), sequential and with 16
  threads, timed as a command (its start-up included) and inside its loop;
- the hub as a deployment runs it: `flask fetch --all`, timed as a command (start-up included),
  with the peak resident memory of its whole process tree (parser processes included), once per
  `--processes` value;
- the hub in this process (Refresher.run_once), the start-up left out.
Every figure is printed with the machine's load average, then a table of the ratios. The store the
command built and the one built in-process are compared row by row (a digest of every item).
Feeds are served by Debian's nginx-light, started and stopped here on a free loopback port.
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from machine import Nginx, TreeMemory, load_average, run_command  # noqa: E402  (bench/ is on the path)
from words import WORDS  # noqa: E402


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


PAST = time.time() - 3600  # feeds' modification time: a rewrite gets a later Last-Modified


def set_changed(feeds_dir, count, items, base_time, changed):
    """The first `count` feeds gain one newer entry (changed=True) or go back as they were."""
    for n in range(count):
        path = feeds_dir / f"feed{n}.xml"
        if changed:
            path.write_text(make_feed(n, items + 1, base_time, start=-1))
        else:
            path.write_text(make_feed(n, items, base_time))
            os.utime(path, (PAST, PAST))


# content_hash is left out: a hash of the others, the feed server's address included
ITEM_FIELDS = ("guid", "guid_hash", "url", "title", "summary", "content", "text", "author", "published_at",
               "enclosures")


def store_digest(session):
    """A digest of every stored item (its columns but ids and fetch times, the feed server's own
    address left out, since links relative to it are made absolute): two stores with the same
    digest hold the same items, whichever port their feeds were served on."""
    from sqlalchemy import select

    from hub.models import Item, Source
    digest, count = hashlib.sha256(), 0
    rows = session.execute(select(Source.url, *[getattr(Item, f) for f in ITEM_FIELDS])
                           .join(Source, Source.id == Item.source_id)).all()
    normal = []
    for row in rows:
        origin = "/".join(row[0].split("/", 3)[:3])  # http://127.0.0.1:port
        normal.append(tuple(str(v).replace(origin, "{server}") for v in row))
    for row in sorted(normal):
        digest.update("\x1f".join(row).encode())
        digest.update(b"\x1e")
        count += 1
    return f"{count} items, sha256 {digest.hexdigest()[:16]}"


class Databases:
    """A new empty database per hub run: SQLite files in the work folder, or PostgreSQL databases
    made (and dropped afterwards) on the server --database names."""

    def __init__(self, work, server_url):
        self.work, self.server_url, self.made = work, server_url, []

    def new(self, name):
        if not self.server_url:
            return f"sqlite:///{self.work / (name + '.db')}"
        import sqlalchemy
        database = f"hub_bench_{os.getpid()}_{name}"
        engine = sqlalchemy.create_engine(self.server_url.rstrip("/") + "/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}"')
            connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
        engine.dispose()
        self.made.append(database)
        return self.server_url.rstrip("/") + "/" + database

    def drop_all(self):
        if not self.made:
            return
        import sqlalchemy
        engine = sqlalchemy.create_engine(self.server_url.rstrip("/") + "/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            for database in self.made:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        engine.dispose()


def prepare_store(url, urls, work):
    """Schema (the migrations) and one KIM that follows every feed; returns the app."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from hub import create_app
    from hub.extensions import db
    from hub.models import Kim, Source, Subscription
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "HUB_ALLOW_PRIVATE_FEEDS": True},
                     instance_path=work / "instance")
    with app.app_context():
        upgrade()
        kim = Kim(slug="bench", name="KIM Bench", nagari="Bench", kecamatan="Bench", kabupaten="Bench")
        db.session.add(kim)
        db.session.flush()
        db.session.execute(insert(Source), [{"url": u, "kind": "media"} for u in urls])
        ids = db.session.scalars(select(Source.id)).all()
        db.session.execute(insert(Subscription), [{"kim_id": kim.id, "source_id": i} for i in ids])
        db.session.commit()
    return app


def digest_of(app):
    from hub.extensions import db
    with app.app_context():
        try:
            return store_digest(db.session)
        finally:
            db.session.remove()
            db.engine.dispose()


PASSES = ("cold", "unchanged", "changed")


def say(text):
    print(f"{text}   [{load_average()}]", flush=True)


def run_size(args, feeds):
    work = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    feeds_dir = work / "feeds"
    feeds_dir.mkdir()
    databases = Databases(work, args.database)
    base_time = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=1)  # nothing in the future
    t = time.perf_counter()
    write_feeds(feeds_dir, feeds, args.items, base_time)
    for f in feeds_dir.iterdir():
        os.utime(f, (PAST, PAST))
    size = sum(f.stat().st_size for f in feeds_dir.iterdir())
    print(f"\n== {feeds} feeds x {args.items} items ({size / 1e6:.1f} MB), generated in "
          f"{time.perf_counter() - t:.1f} s; served by nginx", flush=True)
    nginx = Nginx(feeds_dir, work / "nginx")
    urls = [nginx.url(f"feed{n}.xml") for n in range(feeds)]
    (work / "urls.json").write_text(json.dumps(urls))
    changed = min(args.changed, feeds)
    results = {}  # (who, pass) -> seconds
    try:
        if not args.skip_baseline:
            for threads in (1, 16):
                who = f"baseline {threads} thread{'s' if threads > 1 else ''}"
                state = work / f"validators-{threads}.json"
                for name in PASSES:
                    if name == "changed":
                        set_changed(feeds_dir, changed, args.items, base_time, True)
                    seconds, peak, out = run_command([sys.executable, str(ROOT / "bench" / "feedloop.py"),
                                                      str(work / "urls.json"), str(state), "--threads", str(threads)])
                    loop = json.loads(out)
                    results[(who, name)] = seconds
                    results[(who + " (loop only)", name)] = loop["loop_seconds"]
                    say(f"{who:<20} {name:<9} {seconds:6.2f} s as a command, {loop['loop_seconds']:6.2f} s in its "
                        f"loop; {loop['entries']} entries; HTTP {loop['statuses']}; peak {peak:.0f} MB")
                    if name == "changed":
                        set_changed(feeds_dir, changed, args.items, base_time, False)
        digests = {}
        for processes in args.processes:
            who = f"hub CLI, {processes} parser process{'es' if processes != 1 else ''}"
            url = databases.new(f"cli{processes}")
            app = prepare_store(url, urls, work)
            env = dict(os.environ, FLASK_APP="wsgi", HUB_DATABASE_URL=url, HUB_SECRET_KEY="bench",
                       HUB_ALLOW_PRIVATE_FEEDS="1", HUB_INPROCESS_WORKER="0")
            for name in PASSES:
                if name == "changed":
                    set_changed(feeds_dir, changed, args.items, base_time, True)
                seconds, peak, out = run_command([str(Path(sys.executable).parent / "flask"), "fetch", "--all",
                                                  "--processes", str(processes)], env=env, cwd=ROOT)
                results[(who, name)] = seconds
                results[(who + " peak MB", name)] = peak
                say(f"{who:<20} {name:<9} {seconds:6.2f} s as a command; peak of its process tree {peak:.0f} MB; "
                    f"{out.strip().splitlines()[-2] if out.strip() else ''}")
                if name == "changed":
                    set_changed(feeds_dir, changed, args.items, base_time, False)
            digests[who] = digest_of(app)
        if not args.skip_inprocess:
            digests["hub in-process"] = run_inprocess(args, work, databases, urls, feeds_dir, base_time, changed,
                                                      nginx, results)
        for who, digest in digests.items():
            print(f"store of {who}: {digest}")
        if len(set(digests.values())) > 1:
            print("!! the stores differ")
    finally:
        nginx.stop()
        databases.drop_all()
        shutil.rmtree(work, ignore_errors=True)
    return results


def run_inprocess(args, work, databases, urls, feeds_dir, base_time, changed, nginx, results):
    from sqlalchemy import func, select

    from hub.aggregation.worker import Refresher
    from hub.extensions import db
    from hub.models import Item
    processes = args.processes[0]
    who = "hub in-process"
    app = prepare_store(databases.new("inprocess"), urls, work)
    with app.app_context():
        with TreeMemory(os.getpid(), exclude=nginx.pids()) as memory:
            refresher = Refresher(app, processes=processes)
            for name in PASSES:
                if name == "changed":
                    set_changed(feeds_dir, changed, args.items, base_time, True)
                start = time.perf_counter()
                summary = refresher.run_once(limit=len(urls) + 1, due_only=False)
                seconds = time.perf_counter() - start
                results[(who, name)] = seconds
                stored = db.session.scalar(select(func.count()).select_from(Item))
                say(f"{who:<20} {name:<9} {seconds:6.2f} s; {summary.new_items} new, {summary.updated_items} updated, "
                    f"{summary.errors} errors; {stored} stored; HTTP {summary.statuses}")
                if name == "changed":
                    set_changed(feeds_dir, changed, args.items, base_time, False)
            refresher.close()
        say(f"{who:<20} peak of this process and its parser processes {memory.peak_mb:.0f} MB")
    return digest_of(app)


def table(sizes, all_results, processes):
    print(f"\n== summary ({load_average()})")
    cli = f"hub CLI, {processes} parser process{'es' if processes != 1 else ''}"
    print(f"{'feeds':>6} {'pass':<10} {'hub CLI s':>9} {'in-proc s':>9} {'base 1t s':>9} {'base 16t s':>10} "
          f"{'CLI/16t':>8} {'CLI peak MB':>11}")
    for feeds, results in zip(sizes, all_results):
        for name in PASSES:
            hub = results.get((cli, name))
            inproc = results.get(("hub in-process", name))
            seq = results.get(("baseline 1 thread", name))
            par = results.get(("baseline 16 threads", name))

            def f(v, w=9):
                return f"{v:{w}.2f}" if v is not None else " " * (w - 1) + "-"
            ratio = f"{hub / par:7.2f}x" if hub and par else "       -"
            peak = results.get((cli + " peak MB", name))
            print(f"{feeds:>6} {name:<10} {f(hub)} {f(inproc)} {f(seq)} {f(par, 10)} {ratio} "
                  f"{peak if peak is None else round(peak):>11}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, nargs="+", default=[1000])
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--changed", type=int, default=100)
    parser.add_argument("--database", default=None,
                        help="a PostgreSQL server, e.g. postgresql://postgres@127.0.0.1:5432/ (default: SQLite files)")
    parser.add_argument("--processes", type=int, nargs="+", default=[os.cpu_count() or 1],
                        help="parser processes of the hub's runs (default: one per core, the worker's default)")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--skip-inprocess", action="store_true")
    args = parser.parse_args()
    os.environ.pop("HUB_DATABASE_URL", None)
    # a deployment runs compiled modules; a machine with PYTHONDONTWRITEBYTECODE would otherwise
    # compile the hub from source at every start
    import compileall
    compileall.compile_dir(str(ROOT / "hub"), quiet=1)
    print(f"refresh benchmark; {load_average()}")
    all_results = [run_size(args, feeds) for feeds in args.feeds]
    table(args.feeds, all_results, args.processes[0])


if __name__ == "__main__":
    main()
