"""No metadata survives an upload: EXIF, a JPEG comment (COM marker), PNG text chunks and WebP
EXIF can all hold a home's GPS position; the stored file carries none of them (issue 10)."""
import io

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from hub.posts.images import store_image

SECRET = b"GPS -0.2215,100.6312 rumah Pak Datuak"


def hostile(kind):
    image = Image.new("RGBA" if kind == "PNG" else "RGB", (40, 30), "red")
    data = io.BytesIO()
    if kind == "JPEG":
        exif = Image.Exif()
        exif[0x010E] = SECRET.decode()  # ImageDescription
        image.save(data, "JPEG", comment=SECRET, exif=exif)
    elif kind == "PNG":
        info = PngInfo()
        info.add_text("Comment", SECRET.decode())
        info.add_itxt("Description", SECRET.decode())
        image.save(data, "PNG", pnginfo=info)
    else:
        exif = Image.Exif()
        exif[0x010E] = SECRET.decode()
        image.save(data, "WEBP", exif=exif)
    assert SECRET in data.getvalue()  # the metadata is really in the upload
    data.seek(0)
    return data


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_no_metadata_survives(tmp_path, kind):
    stored = store_image(hostile(kind), tmp_path)
    body = (tmp_path / stored.name).read_bytes()
    assert SECRET not in body and b"rumah" not in body
    with Image.open(tmp_path / stored.name) as image:
        assert not image.getexif() and "comment" not in image.info and not getattr(image, "text", {})
