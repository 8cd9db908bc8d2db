"""What a post's photo weighs at each size a page may ask for, against the one stored size that
every screen got before (issue 11). A photo-like image (a scene of gradients, shapes and sensor
noise, as a phone takes it) goes through the hub's upload pipeline and its size route; the
bytes of each size are printed with their ratio to the stored JPEG.

    python bench/photos.py [--width 4000] [--height 3000] [--photo some.jpg]
"""
import argparse
import io
import random
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def scene(width, height, seed=7):
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):  # a sky-to-field gradient
        t = y / height
        draw.line([(0, y), (width, y)], fill=(int(90 + 120 * t), int(150 + 60 * t), int(220 - 150 * t)))
    for _ in range(120):  # houses, trees, people: shapes of every size and colour
        x, y = rng.randrange(width), rng.randrange(height // 3, height)
        r = rng.randrange(width // 80, width // 12)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rng.randrange(256) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(2))
    noise = Image.effect_noise((width, height), 18).convert("RGB")
    return Image.blend(image, noise, 0.12)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=4000)
    parser.add_argument("--height", type=int, default=3000)
    parser.add_argument("--photo", help="a JPEG of your own instead of the made-up scene")
    args = parser.parse_args()
    from hub.posts.images import make_variant, sizes_of, store_image
    data = Path(args.photo).read_bytes() if args.photo else None
    if data is None:
        out = io.BytesIO()
        scene(args.width, args.height).save(out, "JPEG", quality=92)
        data = out.getvalue()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        stored = store_image(io.BytesIO(data), folder)
        base = (folder / stored.name).stat().st_size
        print(f"uploaded {len(data) / 1024:.0f} KB; stored {stored.width}x{stored.height} JPEG {base / 1024:.0f} KB "
              f"(what every screen got before)")
        for width, name, webp in sizes_of(stored.name, stored.width):
            for file in (name, webp):
                path = make_variant(folder, file) if file != stored.name else folder / file
                size = path.stat().st_size
                kind = file.rsplit(".", 1)[1]
                print(f"  {width:>5} px  {kind:>4}  {size / 1024:7.0f} KB  {size / base:6.2f} x stored")


if __name__ == "__main__":
    main()
