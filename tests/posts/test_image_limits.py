"""Image uploads are bounded in pixels and in memory (issue 10: a 6300 x 6300 PNG cost 208 MB
and 1.4 s): a PNG that large is refused before decoding, and a large JPEG decodes at a reduced
scale, so the process grows by a small fraction of the full bitmap."""
import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from hub.errors import Invalid
from hub.posts.images import store_image

ROOT = Path(__file__).resolve().parents[2]


def test_a_huge_png_is_refused_before_decoding(tmp_path):
    data = io.BytesIO()
    Image.new("RGB", (6300, 6300), "white").save(data, "PNG")  # small on disk, 40 MP decoded
    data.seek(0)
    with pytest.raises(Invalid) as refused:
        store_image(data, tmp_path / "out")
    assert "pixels" in str(refused.value.message)
    assert not (tmp_path / "out").exists()


MEASURE = """
import resource, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from hub.posts.images import store_image
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open(sys.argv[2], "rb") as upload:
    stored = store_image(upload, Path(sys.argv[3]))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(stored.width, stored.height, (after - before) // 1024)
"""


def test_a_large_phone_photo_costs_little_memory(tmp_path):
    photo = tmp_path / "photo.jpg"
    Image.linear_gradient("L").resize((8000, 6000)).convert("RGB").save(photo, "JPEG")  # 48 MP, 144 MB decoded
    out = subprocess.run([sys.executable, "-c", MEASURE, str(ROOT), str(photo), str(tmp_path / "out")],
                         capture_output=True, text=True, check=True).stdout.split()
    width, height, grown_mb = map(int, out)
    assert (width, height) == (1600, 1200)
    assert grown_mb < 60, f"storing a 48 MP JPEG grew the process by {grown_mb} MB"
