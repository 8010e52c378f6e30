"""A dev set of mouse-style drawings of the ten classes, drawn the way people draw on the pad.

Each class is a few hand-placed strokes on a 100 x 100 sheet (x right, y down; shoes and
boots point left, as in the dataset), written here by hand and not traced from any dataset
picture. `drawing_set` renders them as a person would leave them on the 280 x 280 drawing
pad: black on white, hand wobble, three pen widths, and the kinds of drawing people make:

- outline: the garment's closed outline;
- details: the outline with seams, buttons, laces, a waistband;
- scribble: the shape filled with zig-zag strokes, no outline;
- open: the outline with gaps where strokes did not meet (trousers: legs open at the bottom);
- small: a small outline off in one part of the pad;
- mirrored: the outline facing the other way (shoes pointing right).

They are one person's drawings, so easier than many people's; the yardstick the pictures
issue asks for is people's drawings, which this machine cannot reach.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

SIDE = 280  # the drawing pad's side in pixels
PEN_WIDTHS = (5, 10, 18)  # pad pixels: a thin, the default-ish and a fat brush
KINDS = ("outline", "details", "scribble", "open", "small", "mirrored")

Stroke = list[tuple[float, float]]

# class index -> (outline strokes, detail strokes). An outline stroke that ends where it
# starts is closed; the open trousers are their own entry below.
SHAPES: dict[int, tuple[list[Stroke], list[Stroke]]] = {
    0: (  # T-shirt/top: short sleeves
        [
            [
                (38, 12),
                (50, 19),
                (62, 12),
                (80, 18),
                (96, 36),
                (85, 45),
                (74, 35),
                (74, 92),
                (26, 92),
                (26, 35),
                (15, 45),
                (4, 36),
                (20, 18),
                (38, 12),
            ]
        ],
        [[(38, 12), (50, 24), (62, 12)], [(85, 45), (80, 30)], [(15, 45), (20, 30)]],
    ),
    1: (  # Trouser
        [[(30, 4), (70, 4), (77, 96), (57, 96), (50, 34), (43, 96), (23, 96), (30, 4)]],
        [[(30, 11), (70, 11)], [(50, 11), (50, 26)]],
    ),
    2: (  # Pullover: long sleeves, round neck
        [
            [
                (40, 10),
                (50, 15),
                (60, 10),
                (78, 15),
                (93, 86),
                (82, 89),
                (72, 34),
                (72, 93),
                (28, 93),
                (28, 34),
                (18, 89),
                (7, 86),
                (22, 15),
                (40, 10),
            ]
        ],
        [[(28, 86), (72, 86)], [(84, 80), (93, 79)], [(7, 79), (16, 80)]],
    ),
    3: (  # Dress
        [[(38, 5), (62, 5), (64, 38), (86, 96), (14, 96), (36, 38), (38, 5)]],
        [[(36, 38), (64, 38)], [(44, 5), (50, 14), (56, 5)]],
    ),
    4: (  # Coat: long, long sleeves
        [
            [
                (40, 6),
                (50, 12),
                (60, 6),
                (78, 11),
                (93, 90),
                (82, 92),
                (72, 30),
                (74, 98),
                (26, 98),
                (28, 30),
                (18, 92),
                (7, 90),
                (22, 11),
                (40, 6),
            ]
        ],
        [
            [(50, 12), (50, 98)],
            [(40, 6), (47, 30)],
            [(60, 6), (53, 30)],
            [(44, 40), (45, 41)],
            [(44, 55), (45, 56)],
            [(44, 70), (45, 71)],
        ],
    ),
    5: (  # Sandal: sole, heel, straps
        [
            [(4, 84), (60, 80), (90, 70), (97, 76), (96, 90), (84, 92), (10, 93), (4, 84)],
            [(10, 84), (20, 60), (34, 82)],
            [(36, 82), (52, 52), (64, 80)],
            [(72, 76), (74, 36), (90, 38), (90, 70)],
        ],
        [[(74, 48), (90, 50)]],
    ),
    6: (  # Shirt: collar, buttons, long sleeves
        [
            [
                (38, 8),
                (44, 20),
                (50, 12),
                (56, 20),
                (62, 8),
                (79, 13),
                (93, 88),
                (82, 90),
                (72, 32),
                (72, 94),
                (28, 94),
                (28, 32),
                (18, 90),
                (7, 88),
                (21, 13),
                (38, 8),
            ]
        ],
        [
            [(50, 12), (50, 94)],
            [(46, 32), (47, 33)],
            [(46, 48), (47, 49)],
            [(46, 64), (47, 65)],
            [(56, 30), (66, 30), (66, 40), (56, 40), (56, 30)],
        ],
    ),
    7: (  # Sneaker: low, toe to the left
        [[(4, 72), (10, 58), (34, 50), (54, 34), (74, 28), (90, 32), (96, 52), (96, 80), (6, 80), (4, 72)]],
        [[(6, 72), (96, 72)], [(40, 46), (46, 52)], [(48, 40), (54, 46)], [(56, 35), (62, 41)]],
    ),
    8: (  # Bag: body and handle
        [[(14, 40), (86, 40), (93, 96), (7, 96), (14, 40)], [(30, 40), (33, 14), (50, 8), (67, 14), (70, 40)]],
        [[(14, 52), (86, 52)], [(48, 52), (52, 60)]],
    ),
    9: (  # Ankle boot: high shaft, heel, toe to the left
        [[(4, 78), (10, 62), (40, 56), (48, 12), (86, 10), (88, 62), (96, 74), (96, 92), (4, 92), (4, 78)]],
        [[(4, 84), (96, 84)], [(46, 30), (56, 32)], [(44, 42), (54, 44)]],
    ),
}
OPEN_TROUSERS: list[Stroke] = [[(23, 96), (30, 4), (70, 4), (77, 96)], [(43, 96), (50, 34), (57, 96)]]

# Trousers as a person draws them straight onto the 280 x 280 pad, in pad pixels: the outside,
# then the inside of the legs; the hems are never drawn, so both legs are open at the bottom.
TROUSERS_OUTSIDE_ON_PAD = [(95, 262), (108, 22), (172, 22), (185, 262)]
TROUSERS_INSIDE_ON_PAD = [(122, 262), (140, 95), (158, 262)]
# A bag with its handle on the pad, in pad pixels: the body, then the handle (the dev set's bag).
BAG_BODY_ON_PAD = [(59, 118), (221, 118), (236, 243), (44, 243), (59, 118)]
BAG_HANDLE_ON_PAD = [(95, 118), (102, 59), (140, 46), (178, 59), (185, 118)]


@dataclass(frozen=True)
class Drawing:
    image: Image.Image  # (280, 280) RGBA, black strokes on opaque white: what the pad returns
    label: int
    kind: str  # one of KINDS
    pen: int  # brush width in pad pixels


def drawing_set(seeds: int = 4) -> list[Drawing]:
    """Every class in every kind, `seeds` times each with another wobble, size and pen."""
    drawings = []
    for label in SHAPES:
        for kind in KINDS:
            for seed in range(seeds):
                rng = np.random.default_rng([label, KINDS.index(kind), seed])
                pen = PEN_WIDTHS[(seed + KINDS.index(kind)) % len(PEN_WIDTHS)]
                drawings.append(Drawing(draw(label, kind, pen, rng), label, kind, pen))
    return drawings


def draw(label: int, kind: str, pen: int, rng: np.random.Generator) -> Image.Image:
    outline, details = SHAPES[label]
    strokes = [*outline, *details] if kind == "details" else list(outline)
    if kind == "open" and label == 1:
        strokes = OPEN_TROUSERS
    if kind == "scribble":
        strokes = _scribble(outline, rng)
    scale = rng.uniform(0.3, 0.45) if kind == "small" else rng.uniform(0.75, 0.95)
    stretch = rng.uniform(0.9, 1.1)  # people's proportions differ
    size = SIDE * scale
    left = rng.uniform(0.02, 0.98) * (SIDE - size) if kind == "small" else (SIDE - size) / 2 + rng.normal(0, 8)
    top = rng.uniform(0.02, 0.98) * (SIDE - size) if kind == "small" else (SIDE - size) / 2 + rng.normal(0, 8)
    mirrored = kind == "mirrored"
    image = Image.new("RGBA", (SIDE, SIDE), (255, 255, 255, 255))
    pad = ImageDraw.Draw(image)
    wobbled = [_wobble(stroke, rng) for stroke in strokes]
    if kind == "open" and label != 1:
        wobbled = [piece for stroke in wobbled for piece in _with_gaps(stroke, rng)]
    for stroke in wobbled:
        points = []
        for x, y in stroke:
            x = 100 - x if mirrored else x
            points.append((left + (50 + (x - 50) * stretch) / 100 * size, top + y / 100 * size))
        pad.line(points, fill=(0, 0, 0, 255), width=pen, joint="curve")
        for x, y in (points[0], points[-1]):  # round pen ends, as the pad draws them
            pad.ellipse([x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2], fill=(0, 0, 0, 255))
    return image


def _wobble(stroke: Stroke, rng: np.random.Generator) -> Stroke:
    """The stroke as a hand draws it: corners a little off, lines not quite straight."""
    corners = np.asarray(stroke, float) + rng.normal(0, 1.2, (len(stroke), 2))
    if stroke[0] == stroke[-1]:
        corners[-1] = corners[0]  # a closed outline stays closed
    points = [corners[0]]
    for start, end in itertools.pairwise(corners):
        steps = max(2, int(np.linalg.norm(end - start) / 4))
        for t in np.linspace(0, 1, steps + 1)[1:]:
            points.append(start + (end - start) * t + rng.normal(0, 0.35, 2))
    return [tuple(p) for p in points]


def _with_gaps(points: Stroke, rng: np.random.Generator) -> list[Stroke]:
    """The wobbled stroke cut at one or two places, leaving gaps of 3-8% of the sheet."""
    cuts = sorted(rng.choice(np.arange(2, len(points) - 2), size=min(2, len(points) - 4), replace=False))
    pieces, start = [], 0
    for cut in cuts:
        gap = max(1, int(rng.uniform(0.75, 2.0)))  # points are ~4 units apart
        pieces.append(points[start:cut])
        start = cut + gap
    pieces.append(points[start:])
    return [piece for piece in pieces if len(piece) >= 2]


def _scribble(outline: list[Stroke], rng: np.random.Generator) -> list[Stroke]:
    """Zig-zag strokes across the inside of the outline's first stroke, row after row."""
    mask = Image.new("L", (100, 100), 0)
    ImageDraw.Draw(mask).polygon(outline[0], fill=1)
    inside = np.asarray(mask, bool)
    spacing = rng.uniform(5, 9)
    zigzag: Stroke = []
    for row, y in enumerate(np.arange(2, 100, spacing)):
        columns = np.flatnonzero(inside[int(y)])
        if len(columns) == 0:
            continue
        ends = [(columns.min() + 1, y), (columns.max() - 1, y)]
        zigzag += ends[::-1] if row % 2 else ends
    return [zigzag] if len(zigzag) >= 2 else outline
