"""Timeline benchmark: a hub with a million items, timed through the app.

    python bench/timeline.py [--items 1000000] [--sources 5000] [--kims 500] [--members 5000]
                             [--requests 200] [--database URL]

Builds the database with bulk inserts (SQLite by default, or --database postgresql://...), then
times, over many requests through the Flask app (in-process WSGI, a logged-in member each time):
the timeline's first page, a page 50 pages deep (keyset cursor), a filtered page (bidang +
unread) and a search. Prints median and p95 per case, the page weight (gzip) and the row counts.
"""
import argparse
import gzip
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from machine import settle  # noqa: E402
from stats import percentile  # noqa: E402
from words import WORDS as BASE_WORDS  # noqa: E402

BIDANG = ["umum", "pemerintahan", "pertanian", "kesehatan", "pendidikan", "ekonomi", "bencana"]
KINDS = ["pemerintah", "media", "kim", "lainnya"]


def vocabulary(size=3000):
    words = list(BASE_WORDS)
    rng = random.Random(7)
    while len(words) < size:
        words.append("".join(rng.choice("aiueobdgklmnprst") for _ in range(rng.randint(4, 9))))
    cumulative, total = [], 0.0
    for rank in range(len(words)):  # Zipf: the n-th word is n times rarer than the first
        total += 1 / (rank + 1)
        cumulative.append(total)
    return words, cumulative


def generate_items(args, source_ids, rng, words, weights):
    """Rows as tuples in column order, newest spread over the last year."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    per_source = args.items // len(source_ids)
    item_id = 0
    for source_id in source_ids:
        step = 365 * 24 * 3600 / per_source
        offset = rng.random() * step
        for n in range(per_source):
            item_id += 1
            title_words = rng.choices(words, cum_weights=weights, k=rng.randint(5, 9))
            text_words = rng.choices(words, cum_weights=weights, k=28)
            title = " ".join(title_words).capitalize()
            text = " ".join(text_words)
            published = now - timedelta(seconds=offset + n * step)
            yield (item_id, source_id, f"b-{item_id}", f"{item_id:064x}", f"https://sumber{source_id}.example.id/{n}",
                   title, text[:280], f"<p>{text}</p>", text, "", published, published, published, "h", "[]")


def build(app, args):
    from sqlalchemy import insert, select

    from hub.accounts.service import hash_password
    from hub.extensions import db
    from hub.models import Kim, Membership, Source, Subscription, User

    rng = random.Random(42)
    words, weights = vocabulary()
    t = time.perf_counter()
    db.session.execute(insert(Kim), [{"slug": f"kim-{k}", "name": f"KIM {k}", "nagari": f"Nagari {k}",
                                      "kecamatan": f"Kecamatan {k % 13}", "kabupaten": "Bench"}
                                     for k in range(args.kims)])
    password = hash_password("bench-password")
    db.session.execute(insert(User), [{"email": f"u{u}@bench.id", "name": f"Anggota {u}", "password_hash": password}
                                      for u in range(args.members)])
    kim_ids = db.session.scalars(select(Kim.id).order_by(Kim.id)).all()
    user_ids = db.session.scalars(select(User.id).order_by(User.id)).all()
    db.session.execute(insert(Membership), [{"user_id": u, "kim_id": kim_ids[i % len(kim_ids)], "role": "anggota"}
                                            for i, u in enumerate(user_ids)])
    db.session.execute(insert(Source), [{"url": f"https://sumber{s}.example.id/feed", "title": f"Sumber {s}",
                                         "kind": KINDS[s % len(KINDS)]} for s in range(args.sources)])
    source_ids = db.session.scalars(select(Source.id).order_by(Source.id)).all()
    subs = []
    for kim_id in kim_ids:
        for source_id in rng.sample(source_ids, args.per_kim):
            subs.append({"kim_id": kim_id, "source_id": source_id, "bidang": rng.choice(BIDANG)})
    db.session.execute(insert(Subscription), subs)
    db.session.commit()
    print(f"kims, users, sources, subscriptions in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    columns = ("id", "source_id", "guid", "guid_hash", "url", "title", "summary", "content", "text", "author",
               "published_at", "fetched_at", "updated_at", "content_hash", "enclosures")
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        rows = generate_items(args, source_ids, rng, words, weights)
        if db.engine.dialect.name == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS ix_item_search")
            with cursor.copy(f"COPY item ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute("CREATE INDEX ix_item_search ON item USING gin (search)")
            cursor.execute("SELECT setval('item_id_seq', (SELECT max(id) FROM item))")
            raw.commit()
            cursor.execute("ANALYZE")
        else:
            cursor.execute("PRAGMA synchronous=OFF")
            sql = f"INSERT INTO item ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            batch = []
            for row in rows:
                batch.append(row[:10] + tuple(d.strftime("%Y-%m-%d %H:%M:%S.%f") for d in row[10:13]) + row[13:])
                if len(batch) == 20000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
            # bulk load: one rebuild of the search index, as index_pending() would do in steps
            cursor.execute("INSERT INTO item_fts(item_fts) VALUES ('rebuild')")
            cursor.execute("UPDATE item_fts_watermark SET last_id = (SELECT max(id) FROM item)")
            raw.commit()
            cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
    print(f"{args.items} items in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    publish(args, kim_ids, user_ids, rng)
    print(f"{args.posts} posts, {args.disseminations} disseminations in {time.perf_counter() - t:.1f} s")
    return words


def publish(args, kim_ids, user_ids, rng):
    """Posts of the KIMs (items with no source) and disseminations of fetched items."""
    from sqlalchemy import insert, select

    from hub.extensions import db
    from hub.models import Dissemination, Item, Post
    from hub.reading.search import index_pending
    now = datetime.now(timezone.utc)
    first_post = (db.session.scalar(select(db.func.max(Item.id))) or 0) + 1
    db.session.execute(insert(Item), [{
        "kim_id": kim_ids[p % len(kim_ids)], "source_id": None, "guid": f"tag:bench,2026:berita/{p}",
        "guid_hash": f"post-{p}", "url": f"https://hub.example.id/berita/{p}", "title": f"Berita KIM {p}",
        "summary": "Kabar dari nagari", "content": "<p>Kabar dari nagari</p>", "text": "Kabar dari nagari",
        "published_at": now - timedelta(minutes=p), "fetched_at": now, "updated_at": now, "content_hash": str(p),
        "enclosures": []} for p in range(args.posts)])
    db.session.execute(insert(Post), [{
        "kim_id": kim_ids[p % len(kim_ids)], "author_id": user_ids[p % len(user_ids)], "item_id": first_post + p,
        "title": f"Berita KIM {p}", "body": "Kabar dari nagari", "status": "published", "created_at": now,
        "updated_at": now, "published_at": now - timedelta(minutes=p)} for p in range(args.posts)])
    item_count = first_post - 1
    db.session.execute(insert(Dissemination), [{
        "item_id": rng.randint(1, item_count), "kim_id": rng.choice(kim_ids), "user_id": rng.choice(user_ids),
        "channel": "whatsapp", "audience": 50, "created_at": now - timedelta(minutes=rng.randint(0, 60 * 24 * 90))}
        for _ in range(args.disseminations)])
    index_pending(db.session)
    db.session.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--sources", type=int, default=5000)
    parser.add_argument("--kims", type=int, default=500)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--per-kim", type=int, default=20, help="sources each KIM follows")
    parser.add_argument("--posts", type=int, default=10_000, help="posts written by the KIMs")
    parser.add_argument("--disseminations", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database", default=None)
    args = parser.parse_args()

    os.environ.pop("HUB_DATABASE_URL", None)
    from flask_migrate import upgrade

    from hub import create_app
    from hub.extensions import db
    from hub.models import Item, ReadState, User

    work = Path(tempfile.mkdtemp(prefix="hub-timeline-"))
    url = args.database or f"sqlite:///{work / 'hub.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "HUB_PASSWORD_METHOD": "scrypt:1024:8:1",
                      "WTF_CSRF_ENABLED": False}, instance_path=work / "instance")
    with app.app_context():
        upgrade()
        if db.session.scalar(db.select(db.func.count()).select_from(Item)):
            sys.exit("the benchmark database must be empty")
        words = build(app, args)
        # the members we time have read some of their KIM's items and saved a few
        rng = random.Random(3)
        readers = [f"u{u}@bench.id" for u in rng.sample(range(args.members), 20)]
        for email in readers:
            user = db.session.scalar(db.select(User).where(User.email == email))
            kim = user.memberships[0].kim
            from hub.reading.timeline import Filters, timeline
            page = timeline(kim, user, Filters(), limit=200)
            db.session.execute(db.insert(ReadState), [
                {"user_id": user.id, "item_id": e.item.id, "read_at": e.item.published_at,
                 "starred_at": e.item.published_at if n % 10 == 0 else None}
                for n, e in enumerate(page.entries) if n % 3 == 0])
        db.session.commit()
        query_word, common_word = words[300], words[2]
        db.engine.dispose()
    settle(url)  # as autovacuum leaves a live hub's database (a visibility map, statistics)

    clients = []
    for email in readers:
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": "bench-password"})
        assert response.status_code == 302, response.status_code
        clients.append(client)

    def kim_of(client):
        html = client.get("/linimasa").get_data(as_text=True)
        return re.search(r'name="kim" value="([^"]+)"', html).group(1)

    kims = [kim_of(c) for c in clients]
    deep = []
    for client, kim in zip(clients, kims):
        cursor = None
        for _ in range(49):
            html = client.get(f"/linimasa?kim={kim}" + (f"&cursor={cursor}" if cursor else "")).get_data(as_text=True)
            cursor = re.search(r'cursor=([0-9.]+)', html).group(1)
        deep.append(cursor)

    cases = {
        "first page": lambda i: f"/linimasa?kim={kims[i]}",
        "page 50 deep": lambda i: f"/linimasa?kim={kims[i]}&cursor={deep[i]}",
        "filtered (bidang+unread)": lambda i: f"/linimasa?kim={kims[i]}&bidang=pertanian&unread=1",
        f"search '{query_word}'": lambda i: f"/linimasa?kim={kims[i]}&q={query_word}",
        f"search common '{common_word}'": lambda i: f"/linimasa?kim={kims[i]}&q={common_word}",
    }
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}; {args.items} items, "
          f"{args.sources} sources, {args.kims} KIMs, {args.members} members, {args.per_kim} sources per KIM")
    for name, path in cases.items():
        times, sizes, counts = [], [], []
        for n in range(args.requests):
            i = n % len(clients)
            start = time.perf_counter()
            response = clients[i].get(path(i))
            body = response.get_data()
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (name, response.status_code)
            sizes.append(len(gzip.compress(body)))
            counts.append(len(re.findall(rb'<li class="entry[" ]', body)))
        print(f"{name:28} median {statistics.median(times):6.1f} ms   p95 {percentile(times, 95):6.1f} ms   "
              f"entries/page {statistics.mean(counts):5.1f}   html {statistics.mean(sizes) / 1024:.1f} KB gzip")
    feeds(app, args, kims)
    with app.app_context():
        db.engine.dispose()


def feeds(app, args, kims):
    """The public feeds at this size: a KIM's, a kecamatan's and the network's, each rendered in
    full, against the same feed answered 304 to a conditional GET (the baseline every follower
    pays after its first fetch)."""
    client = app.test_client()
    cases = {"feed: KIM (Atom)": [f"/kim/{k}/feed.atom" for k in kims],
             "feed: kecamatan (RSS)": ["/kecamatan/kecamatan-3/feed.rss"],
             "feed: network (JSON)": ["/feed.json"]}
    etags = {path: client.get(path).headers["ETag"] for paths in cases.values() for path in paths}
    results = {}
    for name, paths in cases.items():
        for conditional in (False, True):
            times = []
            for n in range(args.requests):
                path = paths[n % len(paths)]
                headers = {"If-None-Match": etags[path]} if conditional else {}
                start = time.perf_counter()
                response = client.get(path, headers=headers)
                response.get_data()
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == (304 if conditional else 200), (name, response.status_code)
            results[name, conditional] = statistics.median(times)
            label = f"{name} {'304' if conditional else '200'}"
            print(f"{label:28} median {statistics.median(times):6.1f} ms   p95 {percentile(times, 95):6.1f} ms")
        print(f"{'':28} 304 costs {results[name, True] / results[name, False]:.2f}x a full render")


if __name__ == "__main__":
    main()
