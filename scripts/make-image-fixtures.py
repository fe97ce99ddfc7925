#!/usr/bin/env python3
"""Write the photo-preprocessing fixtures of test/fixtures/images/ with Pillow (the reference).

Run once with Debian's Pillow (`apt-get install python3-pil`, then `/usr/bin/python3
scripts/make-image-fixtures.py`); the outputs are committed, so tests and CI need no Python.

For each test photo it writes the 8-bit result of timm's eval transform up to ToTensor — exactly
what torchvision does on a PIL image: Resize(floor(size / crop_pct)) of the shorter side with the
given interpolation, then CenterCrop(size) — as raw bytes [H][W][3] (`<case>.u8`), what Pillow
decodes from each photo (`<photo>.decoded.u8`), and cases.json describing every case. vitforge must produce the same bytes
(test/model/preprocess.test.ts).
"""
import json
import math
import os
import random

from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "images")


def photo(w, h, seed):
    """A deterministic RGB picture with smooth gradients, hard edges and noise."""
    rnd = random.Random(seed)
    img = Image.new("RGB", (w, h))
    px = img.load()
    for y in range(h):
        for x in range(w):
            r = int(255 * x / (w - 1))
            g = 255 if (x // 5 + y // 4) % 2 else 30
            b = max(0, min(255, int(128 + 90 * math.sin(x * 0.7 + y * 0.3)) + rnd.randint(-20, 20)))
            px[x, y] = (r, g, b)
    return img


def timm_eval(img, size, crop_pct, interpolation):
    scale_size = math.floor(size / crop_pct)
    w, h = img.size
    short, long = min(w, h), max(w, h)
    new_short, new_long = scale_size, int(scale_size * long / short)
    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    r = img.resize((new_w, new_h), interpolation)
    top = int(round((new_h - size) / 2.0))
    left = int(round((new_w - size) / 2.0))
    return r.crop((left, top, left + size, top + size))


def main():
    os.makedirs(OUT, exist_ok=True)
    photo(40, 30, 1).save(os.path.join(OUT, "landscape.png"))
    photo(23, 37, 2).save(os.path.join(OUT, "portrait.png"))
    photo(40, 30, 1).save(os.path.join(OUT, "landscape.jpg"), quality=90)
    cases = []
    for src in ["landscape.png", "portrait.png", "landscape.jpg"]:
        # What Pillow decodes (for the JPEG: its libjpeg's IDCT and upsampling), [H][W][3].
        with open(os.path.join(OUT, src.replace(".", "-") + ".decoded.u8"), "wb") as f:
            f.write(Image.open(os.path.join(OUT, src)).convert("RGB").tobytes())
        sizes = [(16, 0.875, "bicubic"), (16, 0.9, "bilinear"), (8, 1.0, "bicubic")]
        if src == "landscape.jpg":
            sizes.append((32, 0.875, "bicubic"))  # upscaling; the size of the ONNX fixtures
        for size, crop_pct, interp in sizes:
            name = f"{src.replace('.', '-')}-{size}-{crop_pct}-{interp}"
            img = Image.open(os.path.join(OUT, src)).convert("RGB")
            out = timm_eval(img, size, crop_pct, Image.BICUBIC if interp == "bicubic" else Image.BILINEAR)
            with open(os.path.join(OUT, name + ".u8"), "wb") as f:
                f.write(out.tobytes())
            cases.append({"name": name, "source": src, "size": size, "cropPct": crop_pct, "interpolation": interp})
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"pillow": Image.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
