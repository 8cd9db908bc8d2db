"""Uploaded images: checked by their content (not their name or declared type), bounded in
size and pixels, re-encoded without metadata (no GPS position leaks from a phone photo) and
resized for slow connections. No database, no Flask."""
import io
import math
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import Invalid

MAX_BYTES = 8 * 1024 * 1024  # as uploaded
# A larger image is refused before it is decoded (decompression bombs, and memory per request).
# A JPEG is decoded at a reduced scale straight from its DCT (Pillow's draft mode), a few times
# the stored size, so a phone's 50-megapixel photo costs some 25 MB; other formats decode whole
# (16 million RGBA pixels are 64 MB), so their limit is lower.
MAX_PIXELS = {"JPEG": 64_000_000}
MAX_PIXELS_OTHER = 16_000_000
MAX_SIDE = 1600  # stored images fit in this box
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


@dataclass
class StoredImage:
    name: str
    content_type: str
    width: int
    height: int
    size: int


def _read_capped(stream, limit):
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise Invalid(_l("The image is larger than %(mb)d MB.", mb=limit // (1024 * 1024)), field="images")
    if not data:
        raise Invalid(_l("The image file is empty."), field="images")
    return data


def store_image(stream, folder: Path, *, max_bytes=MAX_BYTES) -> StoredImage:
    """Check, shrink and save one uploaded image under `folder`; raises Invalid with a message
    a person understands for anything that is not a usable JPEG, PNG, WebP or GIF."""
    data = _read_capped(stream, max_bytes)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in FORMATS:
                raise Invalid(_l("Only JPEG, PNG, WebP or GIF images can be uploaded."), field="images")
            limit = MAX_PIXELS.get(kind, MAX_PIXELS_OTHER)
            if width * height > limit:
                raise Invalid(_l("The image has too many pixels (at most %(n)d million).",
                                 n=limit // 1_000_000), field="images")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            if kind == "JPEG" and max(width, height) > MAX_SIDE:
                # decode at 1/2, 1/4 or 1/8 scale, never below the size it will be stored at
                shrink = max(width, height) / MAX_SIDE
                image.draft("RGB", (math.ceil(width / shrink), math.ceil(height / shrink)))
            image.load()
            image = ImageOps.exif_transpose(image)  # phone photos stand the right way up
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            keep_alpha = image.mode in ("RGBA", "LA", "P") and kind in ("PNG", "GIF", "WEBP")
            out = io.BytesIO()
            clean = image.convert("RGBA" if keep_alpha else "RGB")
            # no metadata travels on: Pillow writes a JPEG comment (COM) kept in `info`, and a
            # comment can hold a home's GPS position as well as EXIF can
            clean.info.clear()
            if keep_alpha:
                clean.save(out, "PNG", optimize=True)
                ext, content_type = "png", "image/png"
            else:
                clean.save(out, "JPEG", quality=82, optimize=True, progressive=True)
                ext, content_type = "jpg", "image/jpeg"
            width, height = image.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise Invalid(_l("This file is not an image that can be read (JPEG, PNG, WebP or GIF)."),
                      field="images") from None
    name = f"{secrets.token_urlsafe(18)}.{ext}"
    folder.mkdir(parents=True, exist_ok=True)
    body = out.getvalue()
    (folder / name).write_bytes(body)
    return StoredImage(name=name, content_type=content_type, width=width, height=height, size=len(body))
