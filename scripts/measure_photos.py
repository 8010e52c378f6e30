"""How often photo stand-ins come out right: naive resize, a simple crop, and the app's pipeline.

    .venv/bin/python scripts/measure_photos.py --model M.keras [--data-dir DIR] [--per-background 100]

Stand-ins (fmnist/standins.py) are made from test-split pictures the model never trained
on, on four backgrounds. Prints top-1 accuracy per method and background, and the same
test pictures classified as they are in the dataset, for reference.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from fmnist.data import load_dataset
from fmnist.evaluate import predict_proba
from fmnist.model import load_model
from fmnist.preprocess import open_image, to_model_input
from fmnist.standins import BACKGROUNDS, photo_of


def naive(image: Image.Image) -> np.ndarray:
    """What most draw-a-digit apps do: squash to 28 x 28 and invert."""
    return np.asarray(ImageOps.invert(image.convert("L").resize((28, 28))), np.float32)


def simple_crop(image: Image.Image) -> np.ndarray:
    """Crop to what differs from the corner's grey, then squash, invert, centre."""
    grey = np.asarray(image.convert("L"), np.float32)
    ink = np.abs(grey - grey[0, 0])
    rows, cols = np.nonzero(ink > 30)
    if len(rows) == 0:
        return np.zeros((28, 28), np.float32)
    crop = Image.fromarray(ink[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1].astype(np.uint8))
    crop.thumbnail((28, 28))
    canvas = Image.new("L", (28, 28))
    canvas.paste(crop, ((28 - crop.width) // 2, (28 - crop.height) // 2))
    return np.asarray(canvas, np.float32)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--data-dir")
    parser.add_argument("--per-background", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    model, data = load_model(args.model), load_dataset(args.data_dir)
    rng = np.random.default_rng(args.seed)
    picks = rng.choice(len(data.test), args.per_background, replace=False)
    labels = data.test.labels[picks]
    as_they_are = (predict_proba(model, data.test.images[picks]).argmax(1) == labels).mean()
    print(f"dataset pictures as they are: {as_they_are:.3f}")

    rows = {name: {} for name in ("naive resize", "simple crop", "pipeline", "pipeline + mirror")}
    seconds = []
    for background in BACKGROUNDS:
        inputs = {name: [] for name in rows}
        for index in picks:
            photo = photo_of(data.test.images[index], rng, background).image
            buffer = io.BytesIO()
            photo.save(buffer, format="JPEG", quality=90)
            started = time.perf_counter()
            prepared = to_model_input(open_image(buffer.getvalue()))
            seconds.append(time.perf_counter() - started)
            inputs["naive resize"].append(naive(photo))
            inputs["simple crop"].append(simple_crop(photo))
            inputs["pipeline"].append(prepared.pixels * 255)
        x = np.stack(inputs["pipeline"])
        inputs["pipeline + mirror"] = None
        for name in rows:
            if name == "pipeline + mirror":
                p = (predict_proba(model, x) + predict_proba(model, x[:, :, ::-1])) / 2
            else:
                p = predict_proba(model, np.stack(inputs[name]))
            rows[name][background] = float((p.argmax(1) == labels).mean())
    print(f"{'method':<20}" + "".join(f"{b:>8}" for b in BACKGROUNDS) + f"{'all':>8}")
    for name, scores in rows.items():
        overall = np.mean(list(scores.values()))
        print(f"{name:<20}" + "".join(f"{scores[b]:>8.3f}" for b in BACKGROUNDS) + f"{overall:>8.3f}")
    print(f"preprocessing per photo: median {np.median(seconds) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
