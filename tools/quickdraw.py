"""People's drawings: Quick, Draw! players' doodles of the garments Fashion-MNIST has.

The only drawings here that nobody on this team made. Google's Quick, Draw! game asked
players around the world to draw a word in 20 seconds with a mouse or a finger; its data
(CC BY 4.0) keeps every drawing's strokes. `tools/data/quickdraw/` holds the first 25 of
seven garment words (see the README there for where they come from). Four words mean a
Fashion-MNIST class outright; three are near enough to be scored against one:

    t-shirt -> T-shirt/top    pants -> Trouser       sweater -> Pullover
    jacket -> Coat            flip flops -> Sandal   shoe -> Sneaker    purse -> Bag

Dress, Shirt and Ankle boot have no word in the game. `people_drawings` lays each drawing
on the 280 x 280 drawing pad as a person would: black on white, the pad's round pen, most
of the pad used, not quite centred.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from tools.drawings import SIDE

FOLDER = Path(__file__).parent / "data" / "quickdraw"
WORDS = {  # the game's word -> Fashion-MNIST class index
    "t-shirt": 0,
    "pants": 1,
    "sweater": 2,
    "jacket": 4,
    "flip-flops": 5,
    "shoe": 7,
    "purse": 8,
}
PEN_WIDTHS = (8, 16, 28)  # pad pixels: thin, the pad's default, fat


@dataclass(frozen=True)
class PeopleDrawing:
    label: int
    word: str
    pen: int
    recognized: bool  # whether the game's own model recognised it (sloppy ones were not)
    image: Image.Image  # RGBA, the pad's size


def people_drawings(pens=PEN_WIDTHS, seed: int = 0) -> list[PeopleDrawing]:
    rng = np.random.default_rng(seed)
    drawings = []
    for word, label in WORDS.items():
        for line in (FOLDER / f"{word}.ndjson").read_text().splitlines():
            record = json.loads(line)
            for pen in pens:
                image = on_the_pad(record["drawing"], pen, rng)
                drawings.append(PeopleDrawing(label, word, pen, record["recognized"], image))
    return drawings


def on_the_pad(strokes: list, pen: int, rng: np.random.Generator) -> Image.Image:
    """Quick, Draw!'s simplified strokes ([[xs], [ys]] each, in a 0..255 box) drawn on the pad."""
    points = [np.stack([np.asarray(x, float), np.asarray(y, float)], axis=1) for x, y, *_ in strokes]
    everything = np.concatenate(points)
    low, high = everything.min(axis=0), everything.max(axis=0)
    size = rng.uniform(0.6, 0.85) * SIDE
    scale = size / max(1.0, (high - low).max())
    offset = (SIDE - (high - low) * scale) / 2 + rng.normal(0, 10, 2)
    image = Image.new("RGBA", (SIDE, SIDE), (255, 255, 255, 255))
    pad = ImageDraw.Draw(image)
    for stroke in points:
        placed = [tuple(p) for p in (stroke - low) * scale + offset]
        if len(placed) > 1:
            pad.line(placed, fill=(0, 0, 0, 255), width=pen, joint="curve")
        for x, y in (placed[0], placed[-1]):  # the pad's pen is round
            pad.ellipse([x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2], fill=(0, 0, 0, 255))
    return image
