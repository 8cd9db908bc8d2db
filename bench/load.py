"""Load benchmark: the pages a member opens most, served by gunicorn as a deployment serves them,
driven by wrk (Debian's package) over loopback.

    python bench/load.py [--items 1000000] [--database postgresql://postgres@127.0.0.1:5432/]
                         [--keep NAME] [--workers 2] [--connections 16] [--duration 10]

Builds a hub with `--items` items (bench/timeline.py's network: 5,000 sources, 500 KIMs, 5,000
members) in a new PostgreSQL database (or SQLite with --database sqlite), starts gunicorn with
`--workers` sync workers, logs a member in over HTTP, then for each page runs wrk with
`--connections` connections for `--duration` seconds and prints requests/s, p50/p95/p99 latency and
errors, beside /healthz measured in the same run, and the machine's load average. --keep NAME keeps
(or reuses) the PostgreSQL database NAME, so a second run skips the build.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from machine import cpu_seconds, free_port, load_average, pids_named, settle, tree_pids, wait_for_port  # noqa: E402  (bench/ is on the path)

# wrk's summary as one JSON line: its own --latency table has no p95
REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


class Args:
    """What bench/timeline.py's build() reads."""

    def __init__(self, items):
        self.items, self.sources, self.kims, self.members, self.per_kim = items, 5000, 500, 5000, 20
        self.posts, self.disseminations = 10_000, 50_000


def database_url(args):
    if args.database == "sqlite":
        return f"sqlite:///{args.work / 'hub.db'}", True
    import sqlalchemy
    server = args.database.rstrip("/")
    name = args.keep or f"hub_load_{os.getpid()}"
    engine = sqlalchemy.create_engine(server + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).scalar()
        if not exists:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return f"{server}/{name}", not exists


def drop_database(args, url):
    if args.keep or args.database == "sqlite":
        return
    import sqlalchemy
    name = url.rsplit("/", 1)[1]
    engine = sqlalchemy.create_engine(args.database.rstrip("/") + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


def build(url, items, work):
    """The network, a member who has read some of their KIM's items and has an inbox, an API token."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    sys.path.insert(0, str(ROOT / "bench"))
    import timeline

    from hub import create_app
    from hub.accounts.service import create_token
    from hub.extensions import db
    from hub.models import Kim, Membership, ReadState, User
    from hub.reading.timeline import Filters
    from hub.reading.timeline import timeline as kim_timeline
    from hub.sharing.service import share
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "HUB_PASSWORD_METHOD": "scrypt:1024:8:1"},
                     instance_path=work / "instance")
    with app.app_context():
        upgrade()
        timeline.build(app, Args(items))
        user = db.session.scalar(select(User).where(User.email == "u7@bench.id"))
        kim = user.memberships[0].kim
        page = kim_timeline(kim, user, Filters(), limit=100)
        db.session.execute(db.insert(ReadState), [
            {"user_id": user.id, "item_id": e.item.id, "read_at": e.item.published_at}
            for n, e in enumerate(page.entries) if n % 3 == 0])
        # 30 items shared into the member's KIM by other KIMs
        others = db.session.scalars(select(Kim).where(Kim.id != kim.id).order_by(Kim.id).limit(30)).all()
        for other in others:
            sender = db.session.scalar(select(User).join(Membership).where(Membership.kim_id == other.id).limit(1))
            item = kim_timeline(other, sender, Filters(), limit=1).entries[0].item
            share(item, other, [kim.slug], actor=sender, note="Mohon disebarkan")
        db.session.commit()
        create_token(user, "bench")  # the member has a token; load uses a new one (below)
        db.session.commit()
        db.engine.dispose()
    settle(url)


def session_for(url, work):
    """An API token of the member, their KIM, an item of their timeline. A kept database is first
    brought up to this checkout's schema."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from hub import create_app
    from hub.accounts.service import create_token
    from hub.extensions import db
    from hub.models import User
    from hub.reading.timeline import Filters
    from hub.reading.timeline import timeline as kim_timeline
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"}, instance_path=work / "instance")
    with app.app_context():
        upgrade()
        user = db.session.scalar(select(User).where(User.email == "u7@bench.id"))
        kim = user.memberships[0].kim
        item_id = kim_timeline(kim, user, Filters(), limit=5).entries[2].item.id
        _row, token = create_token(user, "load")
        db.session.commit()
        slug = kim.slug
        db.engine.dispose()
    return token, slug, item_id


def login(port):
    import requests
    session = requests.Session()
    page = session.get(f"http://127.0.0.1:{port}/login").text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="csrf_token" value="([^"]+)"', page)
    response = session.post(f"http://127.0.0.1:{port}/login", allow_redirects=False,
                            data={"csrf_token": csrf.group(1), "email": "u7@bench.id", "password": "bench-password"})
    if response.status_code != 302:
        raise SystemExit(f"login failed: {response.status_code}")
    return "; ".join(f"{k}={v}" for k, v in session.cookies.items())


def wrk(port, path, headers, args, work):
    script = work / "report.lua"
    script.write_text(REPORT)
    command = ["wrk", "-t", "2", "-c", str(args.connections), "-d", f"{args.duration}s", "-s", str(script)]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/",
                        help="a PostgreSQL server, or 'sqlite'")
    parser.add_argument("--keep", default=None, help="keep (or reuse) this PostgreSQL database")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default=None, help="comma-separated case names to time (default: all)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--code", default=str(ROOT),
                        help="the checkout gunicorn serves (another commit's, to compare before and after)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    os.environ.pop("HUB_DATABASE_URL", None)
    import compileall
    compileall.compile_dir(str(Path(args.code) / "hub"), quiet=1)  # as a deployment runs it
    args.work = Path(tempfile.mkdtemp(prefix="hub-load-"))
    url, fresh = database_url(args)
    gunicorn = None
    try:
        if fresh:
            t = time.perf_counter()
            build(url, args.items, args.work)
            print(f"built the hub ({args.items} items) in {time.perf_counter() - t:.0f} s", flush=True)
        token, slug, item_id = session_for(url, args.work)
        port = free_port()
        env = dict(os.environ, HUB_DATABASE_URL=url, HUB_SECRET_KEY="bench", HUB_INPROCESS_WORKER="0")
        gunicorn = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", str(args.workers),
                                     "-b", f"127.0.0.1:{port}", "--log-level", "warning",
                                     "wsgi:app"],
                                    cwd=args.code, env=env)
        wait_for_port(port, timeout=60)
        cookie = login(port)
        import requests
        feed = f"/kim/{slug}/feed.atom"
        # every request asks for gzip, as browsers and feed readers do: the answers are compressed
        # as a deployment sends them, and a follower's ETag is the one of the compressed feed
        gzip = "Accept-Encoding: gzip"
        etag = requests.get(f"http://127.0.0.1:{port}{feed}", headers={"Accept-Encoding": "gzip"}).headers["ETag"]
        member = [f"Cookie: {cookie}", gzip]
        cases = [("/healthz", "/healthz", [gzip]),
                 ("/linimasa", f"/linimasa?kim={slug}", member),
                 ("API timeline", f"/api/v1/timeline?kim={slug}", [f"Authorization: Bearer {token}", gzip]),
                 ("item page", f"/item/{item_id}", member),
                 ("inbox", f"/kim/{slug}/inbox", member),
                 ("public feed 200", feed, [gzip]),
                 ("public feed 304", feed, [f"If-None-Match: {etag}", gzip])]
        for name, path, headers in cases:  # every page answers, with wrk's very headers, before it is timed
            response = requests.get(f"http://127.0.0.1:{port}{path}", allow_redirects=False,
                                    headers=dict(h.split(": ", 1) for h in headers))
            expected = 304 if "304" in name else 200
            if response.status_code != expected:
                raise SystemExit(f"{name}: {path} answered {response.status_code}, not {expected}")
        print(f"gunicorn ({args.code}), {args.workers} sync workers; wrk, {args.connections} connections, "
              f"{args.duration} s each; {url.split(':')[0]}, {args.items} items")
        print(f"{'page':<18} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'/healthz':>9}"
              f"  {'CPU ms/request: app':>20} {'db':>5}")
        results = {}
        only = set(args.only.split(",")) | {"/healthz"} if args.only else None
        for name, path, headers in cases:
            if only and name not in only:
                continue
            # CPU used while wrk runs, per request: gunicorn's workers, and PostgreSQL's backends
            app_pids, db_pids = tree_pids(gunicorn.pid), pids_named("postgres")
            app_cpu, db_cpu = cpu_seconds(app_pids), cpu_seconds(db_pids)
            r = wrk(port, path, headers, args, args.work)
            app_cpu, db_cpu = cpu_seconds(app_pids) - app_cpu, cpu_seconds(db_pids) - db_cpu
            rate = r["requests"] / r["seconds"]
            results[name] = rate
            errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
            share = f"{rate / results['/healthz']:8.2f}x"
            per = 1000 / max(r["requests"], 1)
            print(f"{name:<18} {rate:8.1f} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} {errors:7d} {share}"
                  f"  {app_cpu * per:20.2f} {db_cpu * per:5.2f}   [{load_average()}]", flush=True)
        if "public feed 304" in results and "public feed 200" in results:
            ratio = results["public feed 304"] / max(results["public feed 200"], 1e-9)
            print(f"a public feed's 304 is {ratio:.1f}x as many requests/s as its 200")
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait()
        drop_database(args, url)
        shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
