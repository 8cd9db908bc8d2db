"""A KIM world for reading tests: sources and items written straight through the store."""
from datetime import datetime, timedelta, timezone

import pytest

from hub.aggregation import service as aggregation
from hub.aggregation.clean import digest
from hub.aggregation.store import store_items
from hub.extensions import db
from hub.kims.service import get_kim
from tests.factories import login, make_kim, make_user

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)


def add_items(app, source_id, specs, fetched_at=None):
    """specs: (title, text, minutes after T0) tuples."""
    rows = []
    for title, text, minutes in specs:
        rows.append({"guid": f"{source_id}-{title}", "guid_hash": digest(f"{source_id}-{title}"),
                     "url": f"https://example.id/{source_id}/{len(rows)}", "title": title, "summary": text[:280],
                     "content": f"<p>{text}</p>", "text": text, "author": "", "enclosures": [],
                     "published_at": T0 + timedelta(minutes=minutes), "content_hash": digest(title, text)})
    with app.app_context():
        store_items(db.session, source_id, rows, fetched_at or T0 + timedelta(days=1))
        db.session.commit()


@pytest.fixture
def world(app):
    """KIM Talago follows Dinas Pertanian (pertanian, pemerintah) and Kabar Luak (umum, media);
    KIM Sarilamak follows BPBD only. Dedi reads Talago; Fitri reads Sarilamak."""
    make_kim(app, "talago")
    make_kim(app, "sarilamak", kecamatan="Harau")
    make_user(app, "dedi@example.id", kim="talago")
    make_user(app, "fitri@example.id", kim="sarilamak")
    with app.app_context():
        talago, sarilamak = get_kim("talago"), get_kim("sarilamak")
        tani = aggregation.subscribe(talago, "https://tani.example.id/rss", bidang="pertanian", kind="pemerintah",
                                     title="Dinas Pertanian").source_id
        kabar = aggregation.subscribe(talago, "https://kabar.example.id/rss", bidang="umum", kind="media",
                                      title="Kabar Luak").source_id
        bpbd = aggregation.subscribe(sarilamak, "https://bpbd.example.id/rss", bidang="bencana", kind="pemerintah",
                                     title="BPBD").source_id
        db.session.commit()
    add_items(app, tani, [("Jadwal tanam padi", "Kelompok tani menanam padi serentak", 10),
                          ("Harga gambir naik", "Harga gambir di pasar Sarilamak naik", 20),
                          ("Pupuk bersubsidi", "Cara menebus pupuk dengan kartu tani", 30)])
    add_items(app, kabar, [("Festival Lembah Harau", "Randai dan rendang di lembah", 15),
                           ("Tenun Kubang", "Perajin TENUN menerima pesanan padi motif", 25)])
    add_items(app, bpbd, [("Waspada longsor", "Hujan deras di Kelok Sembilan", 5)])
    return {"tani": tani, "kabar": kabar, "bpbd": bpbd}


@pytest.fixture
def dedi(app, world):
    client = app.test_client()
    login(client, "dedi@example.id")
    return client
