"""Real garments laid on real floors, rugs and sofas: phone photos whose garments no one here made.

    .venv/bin/python scripts/real_photos.py ... real-photos/ --vendure /tmp/vendure   # first
    .venv/bin/python scripts/photos_on_floors.py real-photos/ /tmp/vendure on-floors/
    .venv/bin/python scripts/measure_pictures.py --model M.keras --photos on-floors/

Phone photos of used clothes on beds, floors and rugs are where the app does worst (the
hidden set: 0.44 of them right, catalogue shots 0.73), and the real photos here are nearly
all catalogue shots. This lays each catalogue garment of `real_photos.py` (cut out of its
plain backdrop as the app cuts it) on seven real surfaces: the parts of Vendure's demo
photos (MIT; Unsplash pictures) that show only bamboo floorboards, grey planks, weathered
wood, concrete, grass, a woven sofa and a wooden floor. Each is laid as a phone photo takes
it: up to 12 degrees askew, 55-85% of the frame, a soft shadow, light brighter on one side,
sensor noise, saved as a JPEG. The shoes, the hanger and the floor photos are left out
(they are not catalogue shots). Names keep the photo's class and shop, so `measure_pictures`
reads them as real photos; `@<surface>` ends each name.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from real_photos import VENDURE_FOLDER  # scripts/ is on the path when this runs

from fmnist.segment import PLAIN, separate

SIDE = 400  # pixels: the photo's side
ASKEW = 12.0  # degrees either way
SHARE = (0.55, 0.85)  # of the side: the garment's longest side
SURFACES = {  # a Vendure demo photo -> (surface name, the box (left, top, right, bottom) free of its product)
    "mitch-lensink-256007-unsplash.jpg": ("bamboo", (0.0, 0.0, 0.26, 1.0)),
    "neonbrand-428982-unsplash.jpg": ("planks", (0.0, 0.0, 0.5, 0.15)),
    "patrick-brinksma-663044-unsplash.jpg": ("weathered", (0.55, 0.74, 1.0, 1.0)),
    "xavier-teo-469050-unsplash.jpg": ("concrete", (0.0, 0.0, 0.14, 1.0)),
    "nik-shuliahin-619349-unsplash.jpg": ("grass", (0.0, 0.85, 0.35, 1.0)),
    "brandi-redd-104140-unsplash.jpg": ("sofa", (0.62, 0.45, 1.0, 1.0)),
    "kari-shea-398668-unsplash.jpg": ("floor", (0.1, 0.93, 0.9, 1.0)),
}
SKIPPED = ("vendure", "floor", "hanger")  # not catalogue shots on a plain backdrop


def surfaces(vendure: Path) -> dict[str, Image.Image]:
    found = {}
    for file, (name, (left, top, right, bottom)) in SURFACES.items():
        photo = Image.open(vendure / VENDURE_FOLDER / file).convert("RGB")
        width, height = photo.size
        found[name] = photo.crop((int(left * width), int(top * height), int(right * width), int(bottom * height)))
    return found


def cut_out(path: Path) -> Image.Image | None:
    """The garment of a catalogue shot as an RGBA cut-out, as the app separates it; None if not plain."""
    shot = Image.open(path).convert("RGBA")
    shot.thumbnail((SIDE, SIDE))
    found = separate(np.asarray(shot), photo=True)
    if found.method != PLAIN:
        return None
    alpha = Image.fromarray(found.mask.astype(np.uint8) * 255).filter(ImageFilter.GaussianBlur(1))
    shot.putalpha(alpha)
    return shot.crop(alpha.getbbox())


def lay(garment: Image.Image, surface: Image.Image, rng: np.random.Generator) -> bytes:
    """A JPEG of the garment lying on the surface, as a phone photographs it."""
    scale = SIDE / min(surface.size) * rng.uniform(1.0, 1.6)
    ground = surface.resize((max(SIDE, int(surface.width * scale)), max(SIDE, int(surface.height * scale))))
    x, y = rng.integers(0, ground.width - SIDE + 1), rng.integers(0, ground.height - SIDE + 1)
    ground = ground.crop((x, y, x + SIDE, y + SIDE)).rotate(90 * int(rng.integers(0, 4)))
    lying = garment.rotate(rng.uniform(-ASKEW, ASKEW), expand=True, resample=Image.Resampling.BICUBIC)
    fit = rng.uniform(*SHARE) * SIDE / max(lying.size)
    lying = lying.resize((max(1, int(lying.width * fit)), max(1, int(lying.height * fit))), Image.Resampling.LANCZOS)
    left, top = int((SIDE - lying.width) * rng.uniform(0.3, 0.7)), int((SIDE - lying.height) * rng.uniform(0.3, 0.7))
    shadow = Image.new("RGBA", lying.size, (0, 0, 0, 0))
    shadow.putalpha(lying.getchannel("A").point(lambda a: int(a * 0.35)).filter(ImageFilter.GaussianBlur(6)))
    photo = ground.convert("RGBA")
    photo.alpha_composite(shadow, (left + 5, top + 7))
    photo.alpha_composite(lying, (left, top))
    pixels = np.asarray(photo.convert("RGB"), np.float32)
    rows, cols = np.mgrid[0:SIDE, 0:SIDE] / SIDE
    angle = rng.uniform(0, 2 * np.pi)
    light = 1 + 0.3 * ((cols - 0.5) * np.cos(angle) + (rows - 0.5) * np.sin(angle))  # +-15% across
    pixels = pixels * light[..., None] * rng.uniform(0.85, 1.1) + rng.normal(0, 3, pixels.shape)
    out = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=85)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("photos", type=Path, help="the folder scripts/real_photos.py filled")
    parser.add_argument("vendure", type=Path, help="a clone of vendure-ecommerce/vendure")
    parser.add_argument("out", type=Path, help="the folder to fill")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    grounds = surfaces(args.vendure)
    made = 0
    for path in sorted(args.photos.iterdir()):
        garment = None if any(word in path.name for word in SKIPPED) else cut_out(path)
        if garment is None:
            continue
        for name, surface in grounds.items():
            (args.out / f"{path.stem}@{name}.jpg").write_bytes(lay(garment, surface, rng))
            made += 1
    print(f"{made} photos in {args.out}")


if __name__ == "__main__":
    main()
