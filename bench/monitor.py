"""Monitoring benchmark: a year of a kabupaten's network, timed through the app.

    python bench/monitor.py [--kims 500] [--kecamatan 25] [--events 1000000] [--exchanges 200000]
                            [--disseminations 50000] [--requests 20] [--database URL]

Builds the database with bulk inserts (SQLite by default, or --database postgresql://.../EMPTY_DB):
500 KIMs in 25 kecamatan with 10 members each, 2,000 sources, 50,000 items, and over the last
year 1,000,000 events, 200,000 exchanges, 50,000 disseminations, 20,000 checks, 10,000 posts,
5,000 activities and 200,000 reads. Then times, through the Flask app (in-process WSGI, a
logged-in coordinator), the pages and API answers coordinators use; prints median and p95 per
case beside /healthz in the same run, and the machine's load average.
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stats import percentile  # noqa: E402

# verb -> (ADINDA activity, share of the events)
VERBS = [("item.read", "akses", 0.50), ("subscription.created", "akses", 0.02), ("exchange.sent", "networking", 0.12),
         ("exchange.seen", "networking", 0.08), ("exchange.passed_on", "networking", 0.03),
         ("exchange.declined", "networking", 0.01), ("item.checked", "diskusi", 0.06), ("item.flagged", "diskusi",
                                                                                        0.01),
         ("post.created", "diseminasi", 0.04), ("post.published", "diseminasi", 0.04),
         ("item.disseminated", "diseminasi", 0.08), ("activity.recorded", "implementasi", 0.01)]
CHANNELS = ["whatsapp", "papan", "pertemuan", "radio", "website", "lainnya"]
YEAR = 365 * 24 * 3600


def bulk(cursor, dialect, table, columns, rows):
    """Insert many rows fast: COPY on PostgreSQL, executemany on SQLite (datetimes as text)."""
    if dialect == "postgresql":
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"

    def plain(value):
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S.%f")
        if hasattr(value, "isoformat") and not isinstance(value, str):
            return value.isoformat()
        return value
    batch = []
    for row in rows:
        batch.append(tuple(plain(v) for v in row))
        if len(batch) == 50000:
            cursor.executemany(sql, batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)


def build(app, args):
    from sqlalchemy import insert, select

    from hub.accounts.service import hash_password
    from hub.extensions import db
    from hub.models import CoordinatorRole, Kim, Membership, Source, Subscription, User

    rng = random.Random(42)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    t = time.perf_counter()
    db.session.execute(insert(Kim), [{"slug": f"kim-{k}", "name": f"KIM {k}", "nagari": f"Nagari {k}",
                                      "kecamatan": f"Kecamatan {k % args.kecamatan:02d}", "kabupaten": "Bench"}
                                     for k in range(args.kims)])
    password = hash_password("bench-password")
    members = args.kims * args.members_per_kim
    db.session.execute(insert(User), [{"email": f"u{u}@bench.id", "name": f"Anggota {u}", "password_hash": password}
                                      for u in range(members)]
                       + [{"email": "kab@bench.id", "name": "Koordinator", "password_hash": password},
                          {"email": "kec@bench.id", "name": "Koordinator kecamatan", "password_hash": password}])
    kim_ids = db.session.scalars(select(Kim.id).order_by(Kim.id)).all()
    user_ids = db.session.scalars(select(User.id).where(User.email.like("u%")).order_by(User.id)).all()
    member_of = {u: kim_ids[i % len(kim_ids)] for i, u in enumerate(user_ids)}
    people_of = {}
    for u, k in member_of.items():
        people_of.setdefault(k, []).append(u)
    db.session.execute(insert(Membership), [{"user_id": u, "kim_id": k, "role": "pengurus" if u % 5 == 0 else "anggota"}
                                            for u, k in member_of.items()])
    kab = db.session.scalar(select(User.id).where(User.email == "kab@bench.id"))
    kec = db.session.scalar(select(User.id).where(User.email == "kec@bench.id"))
    db.session.execute(insert(CoordinatorRole), [{"user_id": kab, "kabupaten": "Bench", "kecamatan": None},
                                                 {"user_id": kec, "kabupaten": "Bench", "kecamatan": "Kecamatan 03"}])
    db.session.execute(insert(Source), [{"url": f"https://sumber{s}.example.id/feed", "title": f"Sumber {s}",
                                         "kind": "pemerintah" if s < 50 else "media"} for s in range(args.sources)])
    source_ids = db.session.scalars(select(Source.id).order_by(Source.id)).all()
    subs = []
    for kim_id in kim_ids:  # everyone follows Diskominfo (the first source); then 19 others
        for source_id in [source_ids[0]] + rng.sample(source_ids[1:], 19):
            subs.append({"kim_id": kim_id, "source_id": source_id, "bidang": "umum"})
    db.session.execute(insert(Subscription), subs)
    db.session.commit()

    raw = db.engine.raw_connection()
    dialect = db.engine.dialect.name
    cursor = raw.cursor()
    if dialect == "sqlite":
        cursor.execute("PRAGMA synchronous=OFF")

    def when():
        return now - timedelta(seconds=rng.random() * YEAR)

    def items():
        for i in range(1, args.items + 1):
            source = source_ids[0] if i % 25 == 0 else rng.choice(source_ids)
            published = when()
            yield (i, source, f"b-{i}", f"{i:064x}", f"https://x.example.id/{i}", f"Berita {i}", "", "", "", "",
                   published, published, published, "h", "[]")
    bulk(cursor, dialect, "item", ("id", "source_id", "guid", "guid_hash", "url", "title", "summary", "content",
                                   "text", "author", "published_at", "fetched_at", "updated_at", "content_hash",
                                   "enclosures"), items())
    if dialect == "postgresql":
        cursor.execute("SELECT setval('item_id_seq', (SELECT max(id) FROM item))")
    weights = [w for _v, _a, w in VERBS]

    def events():
        for _ in range(args.events):
            kim = rng.choice(kim_ids)
            verb, activity, _w = rng.choices(VERBS, weights=weights)[0]
            yield (when(), rng.choice(people_of[kim]), kim, verb, "item", rng.randint(1, args.items), activity, "{}")
    bulk(cursor, dialect, "event", ("occurred_at", "actor_id", "kim_id", "verb", "object_type", "object_id",
                                    "activity", "data"), events())

    def exchanges():
        seen_pairs = set()
        while len(seen_pairs) < args.exchanges:
            item, to_kim = rng.randint(1, args.items), rng.choice(kim_ids)
            if (item, to_kim) in seen_pairs:
                continue
            # three shares in four stay within the kecamatan, as KIMs of neighbouring nagari work together
            neighbours = same_kecamatan[to_kim] if rng.random() < 0.75 else kim_ids
            from_kim = rng.choice(neighbours)
            if from_kim == to_kim:
                continue
            seen_pairs.add((item, to_kim))
            sent = when()
            roll = rng.random()
            seen = sent + timedelta(hours=rng.random() * 72) if roll < 0.75 else None
            passed = seen + timedelta(hours=rng.random() * 24) if seen and roll < 0.25 else None
            declined = seen + timedelta(hours=rng.random() * 24) if seen and 0.25 <= roll < 0.30 else None
            status = "passed_on" if passed else "declined" if declined else "seen" if seen else "sent"
            wait = round((seen - sent).total_seconds()) if seen else None
            yield (item, from_kim, to_kim, rng.choice(people_of[from_kim]), "", status, sent, seen, wait, passed,
                   declined, "")
    kecamatan_of = dict(db.session.execute(select(Kim.id, Kim.kecamatan)).all())
    by_kecamatan = {}
    for k in kim_ids:
        by_kecamatan.setdefault(kecamatan_of[k], []).append(k)
    same_kecamatan = {k: by_kecamatan[kecamatan_of[k]] for k in kim_ids}
    bulk(cursor, dialect, "exchange", ("item_id", "from_kim_id", "to_kim_id", "by_user_id", "note", "status",
                                       "sent_at", "seen_at", "seen_seconds", "passed_on_at", "declined_at",
                                       "decline_reason"),
         exchanges())

    def spread():
        for _ in range(args.disseminations):
            kim = rng.choice(kim_ids)
            yield (rng.randint(1, args.items), kim, rng.choice(people_of[kim]), rng.choice(CHANNELS),
                   rng.randint(5, 300), "", when())
    bulk(cursor, dialect, "dissemination", ("item_id", "kim_id", "user_id", "channel", "audience", "note",
                                            "created_at"), spread())
    bulk(cursor, dialect, "item_check", ("item_id", "kim_id", "user_id", "note", "links", "created_at"),
         ((rng.randint(1, args.items), k, people_of[k][0], "Dicek", "[]", when())
          for k in (rng.choice(kim_ids) for _ in range(args.checks))))
    bulk(cursor, dialect, "item_flag", ("item_id", "kim_id", "user_id", "kind", "reason", "created_at"),
         ((rng.randint(1, args.items), k, people_of[k][0], "hoaks", "Palsu", when())
          for k in (rng.choice(kim_ids) for _ in range(args.flags))))
    bulk(cursor, dialect, "post", ("kim_id", "author_id", "title", "body", "bidang", "status", "created_at",
                                   "updated_at", "published_at"),
         ((k, people_of[k][0], "Berita", "", "umum", "published", t, t, t)
          for k, t in ((rng.choice(kim_ids), when()) for _ in range(args.posts))))
    bulk(cursor, dialect, "activity", ("kim_id", "user_id", "held_on", "kind", "adinda", "title", "participants",
                                       "resource_person", "notes", "created_at"),
         ((k, people_of[k][0], t.date(), "pleno", "implementasi", "Pleno", 20, "", "", t)
          for k, t in ((rng.choice(kim_ids), when()) for _ in range(args.activities))))
    pairs = set()
    while len(pairs) < args.reads:
        pairs.add((rng.choice(user_ids), rng.randint(1, args.items)))
    bulk(cursor, dialect, "read_state", ("user_id", "item_id", "read_at"), ((u, i, when()) for u, i in pairs))
    raw.commit()
    raw.close()
    from hub.monitoring.rollup import rebuild
    days = rebuild(app.config["HUB_TIMEZONE"])  # what `flask monitor rebuild` does after a bulk load
    db.session.commit()
    # what autovacuum does on its own shortly after a bulk load: statistics, and on PostgreSQL the
    # visibility map that lets the monitoring queries read their indexes alone
    raw = db.engine.raw_connection()
    if dialect == "postgresql":
        raw.driver_connection.autocommit = True
        raw.cursor().execute("VACUUM ANALYZE")
    else:
        raw.cursor().execute("ANALYZE")
        raw.commit()
    raw.close()
    print(f"daily rollup: {days} KIM-days")
    print(f"built in {time.perf_counter() - t:.0f} s: {args.kims} KIMs in {args.kecamatan} kecamatan, "
          f"{members} members,"
          f" {args.items} items, {args.events} events, {args.exchanges} exchanges, {args.disseminations} "
          f"disseminations, {args.checks} checks, {args.posts} posts, {args.activities} activities, {args.reads} reads")
    return source_ids[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kims", type=int, default=500)
    parser.add_argument("--kecamatan", type=int, default=25)
    parser.add_argument("--members-per-kim", type=int, default=10)
    parser.add_argument("--sources", type=int, default=2000)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--exchanges", type=int, default=200_000)
    parser.add_argument("--disseminations", type=int, default=50_000)
    parser.add_argument("--checks", type=int, default=20_000)
    parser.add_argument("--flags", type=int, default=500)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--activities", type=int, default=5_000)
    parser.add_argument("--reads", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database", default=None)
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    args = parser.parse_args()

    os.environ.pop("HUB_DATABASE_URL", None)
    from flask_migrate import upgrade

    from hub import create_app
    from hub.extensions import db
    from hub.models import Kim

    work = Path(tempfile.mkdtemp(prefix="hub-monitor-"))
    url = args.database or f"sqlite:///{work / 'hub.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "HUB_PASSWORD_METHOD": "scrypt:1024:8:1",
                      "WTF_CSRF_ENABLED": False, "HUB_KABUPATEN": "Bench"}, instance_path=work / "instance")
    with app.app_context():
        upgrade()
        if db.session.scalar(db.select(db.func.count()).select_from(Kim)):
            sys.exit("the benchmark database must be empty")
        diskominfo = build(app, args)
        today = datetime.now(timezone.utc).date()
    year = {"from": (today - timedelta(days=364)).isoformat(), "to": today.isoformat()}
    clients = {}
    for who in ("kab", "kec"):
        client = app.test_client()
        assert client.post("/login", data={"email": f"{who}@bench.id", "password": "bench-password"}).status_code == 302
        clients[who] = client
    token = clients["kab"].post("/api/v1/tokens", json={"email": "kab@bench.id", "password": "bench-password"})
    api = {"Authorization": "Bearer " + token.get_json()["token"]}

    def query(args_):
        return "&".join(f"{k}={v}" for k, v in args_.items())

    cases = [
        ("healthz (baseline)", "kab", "/healthz", {}),
        ("kabupaten dashboard, last month", "kab", "/pantau?period=last_month", {}),
        ("kabupaten dashboard, 12 months", "kab", "/pantau?" + query(year), {}),
        ("kecamatan dashboard, 12 months", "kec", "/pantau?" + query(year), {}),
        ("API kims, kabupaten, 12 months", "kab", "/api/v1/monitor/kims?" + query(year), api),
        ("exchange network page, 12 months", "kab", "/pantau/jejaring?" + query(year), {}),
        ("API exchanges matrix, 12 months", "kab", "/api/v1/monitor/exchanges?" + query(year), api),
        ("reach of Diskominfo, 12 months", "kab", f"/pantau/jangkauan?source={diskominfo}&period=range&" + query(year),
         {}),
        ("API reach of an item", "kab", "/api/v1/monitor/reach?item=25", api),
        ("monthly report, kabupaten", "kab", "/pantau/laporan", {}),
    ]
    engine = url.split(":")[0]
    print(f"database: {engine}; load average before timing: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, who, path, headers in cases:
        if args.only and args.only not in name and "baseline" not in name:
            continue
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = clients[who].get(path, headers=headers)
            response.get_data()
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        print(f"{name:36} median {statistics.median(times):7.1f} ms   p95 {percentile(times, 95):7.1f} ms")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
