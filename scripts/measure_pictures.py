"""How often people's pictures come out right: photo stand-ins, drawings, and real photos if you have them.

    .venv/bin/python scripts/measure_pictures.py --model M.keras [--data-dir DIR] [--photos FOLDER]

- Photo stand-ins (tools/standins.py): test-split garments the model never trained on, laid
  on four backgrounds; top-1 per background for a naive resize, a simple crop and the app's
  pipeline (with and without mirror averaging), and per way the garment was found; then
  the same as close-ups, cropped so that the garment runs off the photo's edges.
- Pale garments on a white sheet (tools/standins.pale_on_white): found, or refused as
  "nothing to classify"?
- Drawings (tools/drawings.py): hand-made mouse-style drawings of all ten classes, through
  the drawing pad's path and the command line's (the same path since drawings are told
  apart by themselves), per kind of drawing and per class.
- People's drawings (tools/quickdraw.py): 175 Quick, Draw! players' doodles of seven
  garments, laid on the pad at three pen widths; the only drawings here nobody on the team
  made, so the honest yardstick. Per word and per pen, through the drawing pad's path and
  the command line's.
- --photos FOLDER: real photos, each named after its class's index or name first
  ("3-dress-on-bed.jpg", "Sneaker_2.png"), classified as `python -m fmnist classify` does.

Every picture goes through fmnist.explain.classify, the one path the page and the CLI use.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from fmnist.data import CLASS_NAMES, load_dataset
from fmnist.evaluate import predict_proba
from fmnist.explain import check_mirror, classify
from fmnist.model import load_model
from tools.drawings import KINDS, drawing_set
from tools.quickdraw import PEN_WIDTHS, WORDS, people_drawings
from tools.standins import BACKGROUNDS, pale_on_white, photo_of


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


SHOPS = ("saleor", "solidus", "vendure", "eshop")  # scripts/real_photos.py names their photos <Class>-<shop>-...


def table(title: str, rows: dict[str, dict[str, list[bool]]], columns) -> None:
    """rows: name -> column -> right or wrong per picture; prints top-1 and counts."""
    widths = [max(11, len(c) + 2) for c in columns]
    print(f"\n{title}\n{'':<26}" + "".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)) + f"{'all':>11}")
    for name, scores in rows.items():
        cells = [f"{np.mean(scores[c]):.2f} ({len(scores[c])})" if scores.get(c) else "-" for c in columns]
        everything = [r for c in columns for r in scores.get(c, [])]
        line = "".join(f"{cell:>{w}}" for cell, w in zip(cells, widths, strict=True))
        print(f"{name:<26}" + line + f"{np.mean(everything):>11.3f}")


def stand_ins(model, data, count: int, seed: int, close_up: bool = False) -> None:
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(data.test), count, replace=False)
    labels = data.test.labels[picks]
    as_they_are = (predict_proba(model, data.test.images[picks]).argmax(1) == labels).mean()
    print(f"\nthe same test pictures as they are in the dataset: {as_they_are:.3f}")
    title = "Close-up stand-ins (the garment runs off the edges)" if close_up else "Photo stand-ins"
    rows: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    methods: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    seconds = []
    for background in BACKGROUNDS:
        for index, label in zip(picks, labels, strict=True):
            photo = photo_of(data.test.images[index], rng, background, close_up=close_up).image
            buffer = io.BytesIO()
            photo.save(buffer, format="JPEG", quality=90)
            started = time.perf_counter()
            prepared, plain = classify(model, buffer.getvalue())
            seconds.append(time.perf_counter() - started)
            _, mirrored = classify(model, buffer.getvalue(), mirror=True)
            for name, pixels in (("naive resize", naive(photo)), ("simple crop", simple_crop(photo))):
                rows[name][background].append(predict_proba(model, pixels).argmax() == label)
            for name, result in (("pipeline", plain), ("pipeline + mirror", mirrored)):
                right = result is not None and result.ranked[0] == label
                rows[name][background].append(right)
            methods[prepared.method][background].append(plain is not None and plain.ranked[0] == label)
    table(f"{title}, {count} per background: top-1 (pictures)", rows, BACKGROUNDS)
    table("The pipeline, by how the garment was found", methods, BACKGROUNDS)
    median, most = np.median(seconds) * 1000, max(seconds) * 1000
    print(f"preprocessing and answer per photo: median {median:.0f} ms, max {most:.0f} ms")


def pale_garments(model, data, count: int, seed: int) -> None:
    """Pale garments on a white sheet, at most 30 grey levels from it: found, or refused?"""
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(data.test), count, replace=False)
    right, refused = [], 0
    for index in picks:
        buffer = io.BytesIO()
        pale_on_white(data.test.images[index], rng).save(buffer, format="PNG")  # already a JPEG's pixels
        _, result = classify(model, buffer.getvalue())
        refused += result is None
        right.append(result is not None and result.ranked[0] == data.test.labels[index])
    print(f"\nPale garments on a white sheet ({count}): top-1 {np.mean(right):.3f}, {refused} refused")


def drawings(model, seeds: int) -> None:
    by_kind: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    by_class: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for drawing in drawing_set(seeds):
        for path, as_drawn in (("drawing pad", True), ("command line", None)):
            _, result = classify(model, drawing.image, drawing=as_drawn)
            right = result is not None and result.ranked[0] == drawing.label
            by_kind[path][drawing.kind].append(right)
            by_class[path][CLASS_NAMES[drawing.label][:10]].append(right)
    table("Drawings (tools/drawings.py) by kind: top-1 (drawings)", by_kind, KINDS)
    table("Drawings by class", by_class, [name[:10] for name in CLASS_NAMES])


def peoples_drawings(model) -> None:
    by_word: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    by_pen: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for drawing in people_drawings():
        for path, as_drawn in (("drawing pad", True), ("command line", None)):
            _, result = classify(model, drawing.image, drawing=as_drawn)
            right = result is not None and result.ranked[0] == drawing.label
            by_word[path][drawing.word].append(right)
            by_pen[path][f"pen {drawing.pen}"].append(right)
    scored_as = ", ".join(f"{word} as {CLASS_NAMES[label]}" for word, label in WORDS.items())
    table(f"People's drawings (Quick, Draw!; {scored_as}): top-1 (drawings)", by_word, list(WORDS))
    table("People's drawings by pen width (pad pixels)", by_pen, [f"pen {pen}" for pen in PEN_WIDTHS])


def real_photos(model, folder: Path, mirror: bool) -> None:
    by_method: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    by_class: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    by_source: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    photos = [(path, label) for path in sorted(folder.iterdir()) if (label := label_of(path.name)) is not None]
    for path, label in photos:
        prepared, result = classify(model, path.read_bytes(), mirror=mirror)
        answer = "nothing" if result is None else CLASS_NAMES[result.ranked[0]]
        if len(photos) <= 30:  # a few: each one; many: the tables say it
            print(f"{path.name:<40} {CLASS_NAMES[label]:<12} -> {answer:<12} ({prepared.method})")
        right = result is not None and result.ranked[0] == label
        by_method["real photos"][prepared.method].append(right)
        by_class["real photos"][CLASS_NAMES[label][:10]].append(right)
        by_source["real photos"][source_of(path.name)].append(right)
    table(f"Real photos in {folder}: top-1 by how the garment was found", by_method, sorted(by_method["real photos"]))
    table("Real photos by class", by_class, [name[:10] for name in CLASS_NAMES if name[:10] in by_class["real photos"]])
    # A folder heavy in one class (T-shirts here) rewards a change that only moves answers towards it.
    balanced = np.mean([np.mean(scores) for scores in by_class["real photos"].values()])
    print(f"class-balanced top-1 (the mean of the classes' figures): {balanced:.3f}")
    table("Real photos by where they came from (scripts/real_photos.py)", by_source, sorted(by_source["real photos"]))


def source_of(name: str) -> str:
    """The shop a photo of scripts/real_photos.py came from, as its name says; "other" for the rest."""
    return next((shop for shop in SHOPS if f"-{shop}-" in name.lower()), "other")


def label_of(name: str) -> int | None:
    head = name.split(".")[0].replace("_", "-").split("-")[0]
    if head.isdigit() and int(head) < len(CLASS_NAMES):
        return int(head)
    lowered = name.lower()
    matches = [i for i, c in enumerate(CLASS_NAMES) if lowered.startswith(c.lower().split("/")[0].replace(" ", ""))]
    return matches[0] if matches else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--data-dir")
    parser.add_argument("--per-background", type=int, default=100)
    parser.add_argument("--drawing-seeds", type=int, default=4, help="drawings per class and kind")
    parser.add_argument("--photos", type=Path, help="a folder of real photos named after their class")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    model, data = load_model(args.model), load_dataset(args.data_dir)
    stand_ins(model, data, args.per_background, args.seed)
    stand_ins(model, data, args.per_background, args.seed, close_up=True)
    pale_garments(model, data, 60, args.seed)
    drawings(model, args.drawing_seeds)
    peoples_drawings(model)
    if args.photos:
        mirror = check_mirror(model, data.test.images, data.test.labels).helps
        real_photos(model, args.photos, mirror)


if __name__ == "__main__":
    main()
