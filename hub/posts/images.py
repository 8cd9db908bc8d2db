"""Uploaded images: checked by their content (not their name or declared type), bounded in
size and pixels, re-encoded without metadata (no GPS position leaks from a phone photo) and
resized for slow connections. No database, no Flask."""
import io
import math
import os
import re
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
    name = f"{secrets.token_urlsafe(18)}.{ext}"  # 24 characters: its sizes are told apart by the length
    folder.mkdir(parents=True, exist_ok=True)
    body = out.getvalue()
    (folder / name).write_bytes(body)
    return StoredImage(name=name, content_type=content_type, width=width, height=height, size=len(body))


# --- sizes for phones -----------------------------------------------------------------------
# An image is stored once, at most MAX_SIDE wide. The sizes a page asks for (480 and 960 px
# wide, and WebP beside the stored JPEG or PNG) are made from it the first time they are asked
# for and kept beside it, so images stored before this existed get them too.

WIDTHS = (480, 960)
_VARIANT = re.compile(r"^(?P<token>[A-Za-z0-9_-]{24})(?:-w(?P<width>480|960))?\.(?P<ext>jpg|png|webp)$")


def variant_name(name: str, width: int | None = None, ext: str | None = None) -> str:
    """The name of a size of the stored image `name` (e.g. 'abc.jpg' -> 'abc-w480.webp')."""
    token, _dot, own_ext = name.rpartition(".")
    return f"{token}{f'-w{width}' if width else ''}.{ext or own_ext}"


def sizes_of(name: str, width: int):
    """[(width, name, webp name)] from the smallest size to the stored one, for srcset."""
    out = [(w, variant_name(name, w), variant_name(name, w, "webp")) for w in WIDTHS if w < width]
    return out + [(width, name, variant_name(name, ext="webp"))]


def make_variant(folder: Path, name: str):
    """Make (once) and return the path of a size of a stored image, or None when `name` is not
    a size of an image stored in `folder`."""
    match = _VARIANT.match(name)
    if match is None:
        return None
    path = folder / name
    if path.exists():
        return path
    base = next((folder / f"{match['token']}.{ext}" for ext in ("jpg", "png") if (folder / f"{match['token']}.{ext}")
                 .exists()), None)
    if base is None or base == path:
        return None
    ext = match["ext"]
    if ext != "webp" and ext != base.suffix[1:]:
        return None  # a JPEG's sizes are JPEG or WebP, a PNG's PNG or WebP
    with Image.open(base) as image:
        image.load()
        width = int(match["width"] or image.width)
        if width < image.width:
            image = image.resize((width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if ext == "webp":
            image.save(out, "WEBP", quality=78, method=4)
        elif ext == "png":
            image.save(out, "PNG", optimize=True)
        else:
            image.save(out, "JPEG", quality=80, optimize=True, progressive=True)
    partial = folder / f".{name}.{secrets.token_hex(4)}"
    partial.write_bytes(out.getvalue())
    os.replace(partial, path)  # whole or not at all, whoever asks at the same moment
    return path
