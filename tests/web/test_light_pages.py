"""Light pages: compressed responses, fingerprinted static files, a data saver, < 60 KB timelines."""
import gzip
import re

from tests.factories import post
from tests.reading_world import add_items


def test_responses_are_compressed(app, world, dedi):
    response = dedi.get("/linimasa", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"Linimasa" in gzip.decompress(response.data)
    assert dedi.get("/linimasa", headers={"Accept-Encoding": "br"}).headers["Content-Encoding"] == "br"


def test_static_files_are_fingerprinted_and_cached(app, dedi, world):
    html = dedi.get("/linimasa").get_data(as_text=True)
    css = re.search(r'href="(/static/css/hub\.css\?v=[0-9a-f]{12})"', html).group(1)
    js = re.search(r'src="(/static/js/hub\.js\?v=[0-9a-f]{12})"', html).group(1)
    for url in (css, js):
        with dedi.get(url, headers={"Accept-Encoding": "gzip"}) as response:
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert response.headers["Content-Encoding"] == "gzip"  # static files are compressed too


def test_timeline_of_50_items_is_under_60_kb(app, world, dedi):
    add_items(app, world["kabar"], [(f"Berita panjang nomor {n} tentang nagari dan kabupaten",
                                     "Isi berita yang cukup panjang tentang kegiatan kelompok informasi "
                                     "masyarakat " * 6,
                                     2000 + n) for n in range(60)])
    html = dedi.get("/linimasa").get_data()
    assert len(re.findall(rb'<li class="entry[" ]', html)) == 50
    total = len(gzip.compress(html))
    for asset in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
        with dedi.get(asset.decode()) as response:
            total += len(gzip.compress(response.get_data()))
    assert total < 60 * 1024, total


def test_data_saver_hides_images_and_loads_nothing_from_elsewhere(app, world, dedi):
    from hub.extensions import db
    from hub.models import Item
    with app.app_context():
        item_id = db.session.scalar(db.select(Item.id).where(Item.title == "Tenun Kubang"))
    normal = dedi.get(f"/item/{item_id}")
    assert "img-src 'self' data: https:" in normal.headers["Content-Security-Policy"]
    assert 'class="data-saver"' not in normal.get_data(as_text=True)
    post(dedi, "/hemat-data", {"on": "1"})
    saving = dedi.get(f"/item/{item_id}")
    assert "img-src 'self' data:;" in saving.headers["Content-Security-Policy"]
    assert '<body class="data-saver">' in saving.get_data(as_text=True)
    post(dedi, "/hemat-data", {"on": "0"})
    assert '<body class="data-saver">' not in dedi.get("/linimasa").get_data(as_text=True)
