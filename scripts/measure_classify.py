"""Where the time goes from the end of a stroke to the answer, server side, in milliseconds.

    .venv/bin/python scripts/measure_classify.py --model M.keras [--data-dir DIR]

Times each part the Classify page runs for a 280 x 280 drawing, median of 50, with the
training set tiled to 60,000 pictures for the nearest-picture search. Streamlit's own work
(encoding the small pictures, sending the page) is not included.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from fmnist.charts import probability_bars
from fmnist.data import load_dataset
from fmnist.explain import Neighbours, answer, saliency
from fmnist.model import load_model
from fmnist.preprocess import to_model_input
from fmnist.tiles import saliency_overlay

TSHIRT = [(90, 60), (60, 80), (40, 120), (70, 130), (80, 110), (85, 230), (195, 230), (200, 110), (210, 130)]
TSHIRT += [(240, 120), (220, 80), (190, 60), (160, 75), (120, 75), (90, 60)]


def median_ms(work, repeats: int = 50) -> float:
    work()  # warm: tracing, caches
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return float(np.median(times) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    model, data = load_model(args.model), load_dataset(args.data_dir)
    repeat = -(-60_000 // len(data.train))
    index = Neighbours(np.tile(data.train.images, (repeat, 1, 1))[:60_000], np.tile(data.train.labels, repeat)[:60_000])
    drawing = Image.new("RGBA", (280, 280), "white")
    ImageDraw.Draw(drawing).line(TSHIRT, fill="black", width=16)
    raw = np.asarray(drawing)  # what the canvas component returns
    prepared = to_model_input(Image.fromarray(raw), drawing=True)
    pixels = prepared.pixels
    parts = {
        "preprocess (fill, crop, 28 x 28)": lambda: to_model_input(Image.fromarray(raw), drawing=True),
        "model, over the drawing's views": lambda: answer(model, prepared.views),
        "saliency and its overlay": lambda: saliency_overlay(pixels / 255, saliency(model, pixels, 0)),
        "6 nearest of 60,000": lambda: index.nearest(pixels, 6),
        "bar chart figure": lambda: probability_bars(np.full(10, 0.1)),
    }
    total = 0.0
    for name, work in parts.items():
        ms = median_ms(work)
        total += ms
        print(f"{name:<34}{ms:>7.1f} ms")
    print(f"{'total':<34}{total:>7.1f} ms")


if __name__ == "__main__":
    main()
