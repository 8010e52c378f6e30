"""People's drawings as Fashion-MNIST pictures: every garment there is a filled shape.

People draw outlines, often open (trousers as two legs open at the hem, strokes that do
not quite meet), at any pen width, sometimes scribbled in. `silhouette` turns any of these
into the filled shape they stand for:

1. scale the drawing to a fixed size, so gaps and pen widths are measured alike;
2. bridge small gaps between strokes (a morphological closing);
3. join the open ends that belong together: the stroke ends (a thinned drawing's
   endpoints) are paired so that the joins are as short as possible in total, which
   closes each trouser leg at its hem rather than the gap between the legs;
4. fill what the strokes now enclose.

`is_drawing` tells a drawing (dark lines on a plain light background, in one tone) from a
photo of a garment, so the drawing pad, an uploaded drawing and the command line are all
treated alike. Nothing here knows about the model.
"""

from __future__ import annotations

import cv2
import numpy as np
from skimage.morphology import skeletonize

# A drawing's filled shape, 0..255. Fashion-MNIST's own garments turned into flat shapes are
# classified best at about this brightness (8k folder, lesson's MLP: 0.78 at 100-120, 0.77 at 255).
SHAPE_INK = 110
DRAWING_SIDE = 96  # pixels: a drawing's longest side is scaled to this before any measuring
NORMAL_PEN = 3  # pixels at DRAWING_SIDE: wider strokes are thinned to about this along their middle
# Gaps up to about twice these shares of the side are bridged, the smallest first: more than
# the first would fill the gap between trouser legs, but a scribble's strokes need it.
GAP_SHARES = (0.02, 0.04, 0.06, 0.08)
# Share of the shape a pen-thinned drawing must keep to be used (fat-pen trousers keep
# 0.74-0.81, fat-pen scribbles mostly under 0.6).
THINNED_KEEPS = 0.7
SOLID = 0.6  # share of its convex hull a drawn garment's shape fills (trousers ~0.8, a scribble's stripes less)
JOIN_SHARE = 0.45  # open ends further apart than this share of the side are never joined
DETAIL_SHARE = 0.25  # strokes covering more of the inside than this are a scribble, not details
FACING_MARGIN = 0.04  # of the width: how far the top's middle must sit left of the bottom's to turn a shape
# A hole above or below the body (the largest hole), narrower than the body where they meet
# and deeper than HANDLE_DEPTH pens, is a handle's opening: left open, as the dataset's bags
# show the background through theirs (dev drawings, lesson's MLP: bags 0.17 -> 0.92). A
# dress's bodice or a waistband spans the body's width and is filled.
HANDLE_WIDTH, HANDLE_DEPTH, HANDLE_OUTSIDE = 0.75, 2.0, 0.8
MAX_MATCHED_ENDS = 14  # exact pairing up to this many ends (2^14 states); greedy beyond
PEN_DARKEST = 30  # 0..255 grey: a pen's darkest marks (black, or a dark blue's 29); cloth is rarely this dark
LIGHT_BACKGROUND = 170  # 0..255 grey: paper or a drawing pad, not a floor or a bed
# A pen draws in one tone: at least this share of the marks lies within PEN_TONE grey levels
# of the darkest (the rest is the anti-aliased edge of strokes). Measured: drawings 0.39 and
# up, product shots of Fashion-MNIST garments mostly under 0.2, dark cloth has texture.
PEN_TONE, PEN_TONE_SHARE = 12, 0.35


def is_drawing(grey: np.ndarray, mask: np.ndarray, background: float) -> bool:
    """Dark lines, or a shape filled in flat, on a plain light background.

    grey: (h, w) 0..255; mask: (h, w) bool, the marks found on the background (a plain
    background's separation); background: the background's grey.
    """
    if background < LIGHT_BACKGROUND or not mask.any():
        return False
    marks = grey[mask]
    low, middle = np.percentile(marks, [5, 50])
    at_pen_tone = np.mean(marks - low <= PEN_TONE)
    return low <= PEN_DARKEST and middle < background / 2 and at_pen_tone >= PEN_TONE_SHARE


def silhouette(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(h, w) bool strokes -> the filled shape and the strokes drawn inside it (seams, buttons,
    a collar), both (h', w') bool, cropped to the drawing with its longest side DRAWING_SIDE."""
    rows, cols = np.nonzero(mask)
    if len(rows) == 0:
        return mask, mask
    crop = mask[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1].astype(np.uint8) * 255
    scale = DRAWING_SIDE / max(crop.shape)
    size = (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale)))
    strokes = cv2.resize(crop, size, interpolation=cv2.INTER_AREA) >= 96
    shape, details = _shape(strokes)
    # Every pen about the same width: a fat pen fills the narrow gap between trouser legs.
    # Unless thinning loses much of the shape, which means the strokes filled an area in
    # (a fat-pen scribble) rather than drew its outline.
    excess = round((pen_width(strokes) - NORMAL_PEN) / 2)
    if excess > 0:
        thin = cv2.erode(strokes.astype(np.uint8), np.ones((2 * excess + 1, 2 * excess + 1), np.uint8)).astype(bool)
        thin_shape, thin_details = _shape(thin)
        if thin_shape.sum() >= THINNED_KEEPS * shape.sum():
            shape, details = thin_shape, thin_details
    return shape, details


def _shape(strokes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Strokes -> the filled shape they draw, and the strokes inside it."""
    margin = round(DRAWING_SIDE * JOIN_SHARE / 4)  # room for the closing at the edges
    strokes = np.pad(strokes, margin)
    for share in GAP_SHARES:  # the smallest closing that leaves a solid shape (a scribble needs more)
        joined = _join_open_ends(_close(strokes, share))
        filled = fill_enclosed(joined)
        if solidity(filled) >= SOLID:
            break
    filled = open_handles(filled, joined)
    inner = (slice(margin, -margin), slice(margin, -margin))
    return filled[inner], _details(strokes, filled)[inner]


def _close(strokes: np.ndarray, share: float) -> np.ndarray:
    """Gaps up to about twice `share` of the drawing's side bridged."""
    radius = max(1, round(DRAWING_SIDE * share))
    disk = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    return cv2.morphologyEx(strokes.astype(np.uint8), cv2.MORPH_CLOSE, disk).astype(bool)


def solidity(shape: np.ndarray) -> float:
    """The shape's share of its convex hull: 1 for a box, ~0.8 for trousers, less for stripes."""
    points = cv2.findNonZero(shape.astype(np.uint8))
    if points is None:
        return 0.0
    hull = np.zeros(shape.shape, np.uint8)
    cv2.fillConvexPoly(hull, cv2.convexHull(points), 1)
    return float(shape.sum() / max(1, hull.sum()))


def _details(strokes: np.ndarray, filled: np.ndarray) -> np.ndarray:
    """Strokes well inside the shape: a coat's opening, a shirt's buttons. Empty for a
    scribble, whose strokes cover the inside rather than mark it."""
    edge = NORMAL_PEN + 2
    inside = cv2.erode(filled.astype(np.uint8), np.ones((2 * edge + 1, 2 * edge + 1), np.uint8)).astype(bool)
    details = strokes & inside
    if details.sum() > DETAIL_SHARE * max(1, inside.sum()):
        return np.zeros_like(details)
    return details


def face_left(shape: np.ndarray) -> bool:
    """Whether to mirror the shape so it faces as the dataset's do: shoes point left (Zalando
    photographed them so), their tall part (collar, shaft, heel strap) on the right. Symmetric
    garments are left alone."""
    rows, cols = np.nonzero(shape)
    if len(rows) == 0:
        return False
    middle = (rows.min() + rows.max()) / 2
    top, bottom = cols[rows < middle], cols[rows >= middle]
    if len(top) == 0 or len(bottom) == 0:
        return False
    width = cols.max() - cols.min() + 1
    return bool(top.mean() < bottom.mean() - FACING_MARGIN * width)


def pen_width(strokes: np.ndarray) -> float:
    """The typical stroke width in pixels: twice the distance from a stroke's middle to its edge."""
    middle = skeletonize(strokes)
    if not middle.any():
        return 0.0
    distance = cv2.distanceTransform(np.pad(strokes, 1).astype(np.uint8), cv2.DIST_L2, 3)[1:-1, 1:-1]
    return float(2 * np.median(distance[middle]))


def _join_open_ends(strokes: np.ndarray) -> np.ndarray:
    """The strokes with their open ends joined in pairs by straight strokes of the same width."""
    ends = open_ends(strokes, prune=NORMAL_PEN + 1)
    joined = strokes.astype(np.uint8)
    for i, j in _pair_up(ends, DRAWING_SIDE * JOIN_SHARE):
        (y0, x0), (y1, x1) = ends[i], ends[j]
        cv2.line(joined, (int(x0), int(y0)), (int(x1), int(y1)), 1, thickness=NORMAL_PEN)
    return joined.astype(bool)


def open_ends(strokes: np.ndarray, prune: int = 0) -> np.ndarray:
    """(n, 2) row, column of the strokes' loose ends, after trimming `prune` pixels off every
    branch (a thick pen's corners thin into short spurs, which are not ends)."""
    skeleton = skeletonize(strokes).astype(np.uint8)
    kernel = np.ones((3, 3), np.float32)
    for _ in range(prune):
        neighbours = cv2.filter2D(skeleton, -1, kernel, borderType=cv2.BORDER_CONSTANT)
        skeleton[(skeleton == 1) & (neighbours <= 2)] = 0
    neighbours = cv2.filter2D(skeleton, -1, kernel, borderType=cv2.BORDER_CONSTANT)
    return np.argwhere((skeleton == 1) & (neighbours == 2))  # itself and one neighbour


def _pair_up(ends: np.ndarray, reach: float) -> list[tuple[int, int]]:
    """Pairs of ends to join: the least total length, an end left alone costing `reach`."""
    n = len(ends)
    if n < 2:
        return []
    distance = np.linalg.norm(ends[:, None, :] - ends[None, :, :], axis=2)
    if n > MAX_MATCHED_ENDS:
        return _pair_greedily(distance, reach)
    best: dict[int, tuple[float, list[tuple[int, int]]]] = {0: (0.0, [])}

    def solve(left: int) -> tuple[float, list[tuple[int, int]]]:
        if left in best:
            return best[left]
        i = (left & -left).bit_length() - 1  # the first end not yet decided
        rest = left & ~(1 << i)
        cost, pairs = solve(rest)
        choice = (cost + reach, pairs)  # leave end i open
        for j in range(i + 1, n):
            if rest >> j & 1 and distance[i, j] < reach:
                cost, pairs = solve(rest & ~(1 << j))
                if cost + distance[i, j] < choice[0]:
                    choice = (cost + distance[i, j], [*pairs, (i, j)])
        best[left] = choice
        return choice

    return solve((1 << n) - 1)[1]


def _pair_greedily(distance: np.ndarray, reach: float) -> list[tuple[int, int]]:
    order = np.dstack(np.unravel_index(np.argsort(distance, axis=None), distance.shape))[0]
    used, pairs = set(), []
    for i, j in order:
        if i < j and i not in used and j not in used and distance[i, j] < reach:
            used |= {i, j}
            pairs.append((int(i), int(j)))
    return pairs


def open_handles(filled: np.ndarray, strokes: np.ndarray, pen: float = NORMAL_PEN) -> np.ndarray:
    """The strokes' filled shape with the opening of a handle (see HANDLE_WIDTH) emptied again."""
    filled = filled.copy()
    holes = (filled & ~strokes).astype(np.uint8)
    count, pieces, stats, _ = cv2.connectedComponentsWithStats(holes, connectivity=4)
    if count <= 2:  # no hole, or the body alone
        return filled
    body = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    top = stats[body, cv2.CC_STAT_TOP]
    bottom = top + stats[body, cv2.CC_STAT_HEIGHT]
    depth = cv2.distanceTransform(holes, cv2.DIST_L2, 3)
    reach = round(1.5 * pen)  # rows of the body, either side of where a hole meets it, measured for its width
    for piece in set(range(1, count)) - {body}:
        hole = pieces == piece
        rows = np.nonzero(hole)[0]
        if np.mean((rows < top) | (rows >= bottom)) < HANDLE_OUTSIDE or depth[hole].max() < HANDLE_DEPTH * pen:
            continue
        meets = top if rows.mean() < top else bottom - 1  # the body's row nearest the hole
        near = slice(max(top, meets - reach), min(bottom, meets + reach + 1))
        body_width = np.count_nonzero((pieces[near] == body).any(axis=0))
        if stats[piece, cv2.CC_STAT_WIDTH] < HANDLE_WIDTH * body_width:
            filled[hole] = False
    return filled


def fill_enclosed(mask: np.ndarray) -> np.ndarray:
    """The mask with every region it encloses filled in."""
    outside = np.pad(~mask.astype(bool), 1, constant_values=True).astype(np.uint8)
    _, pieces = cv2.connectedComponents(outside, connectivity=4)
    return mask.astype(bool) | (pieces[1:-1, 1:-1] != pieces[0, 0])
