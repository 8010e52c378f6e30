"""Find the garment in a picture: which pixels are garment and which are background.

Three cases, tried in this order:
- transparency: a cut-out PNG says itself where the garment is;
- a plain background (a drawing, a product shot on white or on any flat colour): every
  pixel whose colour differs enough from the picture's border is garment;
- anything else (a phone photo on a bed, a floor, a rug): OpenCV's GrabCut, which learns a
  colour model of the garment and of the background and cuts between them, started from
  "the border is background, the middle may be garment".

Nothing here knows about the model; `fmnist.preprocess` turns the result into 28 x 28.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

PLAIN_SPREAD = 24  # border colours this close (RGB distance, 90th percentile) to their median: a plain background
COLOUR_TOLERANCE = 40  # RGB distance from a plain background's colour that still counts as background
GRABCUT_SIDE = 128  # GrabCut runs on a copy this size: ~30 ms, and a 28 x 28 result needs no more
GRABCUT_ITERATIONS = 4
GRABCUT_MARGIN = 0.04  # of each side: the frame GrabCut takes as sure background
KEEP_FRACTION = 0.15  # pieces smaller than this share of the largest are specks, not garment

TRANSPARENCY, PLAIN, GRABCUT = "transparency", "plain background", "GrabCut"


@dataclass(frozen=True)
class Separation:
    mask: np.ndarray  # (h, w) bool, True on the garment
    method: str  # TRANSPARENCY, PLAIN or GRABCUT
    background: np.ndarray  # (3,) float32 RGB: the background's typical colour


def separate(rgba: np.ndarray) -> Separation:
    """(h, w, 4) uint8 RGBA -> where the garment is."""
    rgb, alpha = rgba[..., :3].astype(np.float32), rgba[..., 3]
    background = np.median(_border(rgb), axis=0)
    if _border(alpha).min() < 128:  # a see-through frame: the picture is a cut-out
        return Separation(_clean(alpha >= 128, KEEP_FRACTION / 10), TRANSPARENCY, background)
    spread = np.linalg.norm(_border(rgb) - background, axis=1)
    if np.percentile(spread, 90) <= PLAIN_SPREAD:
        # Drawings have separate strokes (a sandal's straps), so only specks are dropped.
        mask = np.linalg.norm(rgb - background, axis=2) > COLOUR_TOLERANCE
        return Separation(_clean(mask, KEEP_FRACTION / 10), PLAIN, background)
    return Separation(_grabcut(rgba[..., :3]), GRABCUT, background)


def _grabcut(rgb: np.ndarray) -> np.ndarray:
    height, width = rgb.shape[:2]
    scale = GRABCUT_SIDE / max(height, width)
    small = cv2.resize(rgb, (max(8, round(width * scale)), max(8, round(height * scale))), interpolation=cv2.INTER_AREA)
    h, w = small.shape[:2]
    mx, my = max(1, round(w * GRABCUT_MARGIN)), max(1, round(h * GRABCUT_MARGIN))
    labels = np.zeros((h, w), np.uint8)
    background_model, garment_model = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(0)  # the same picture always gives the same cut
    cv2.grabCut(
        np.ascontiguousarray(small[..., ::-1]),  # OpenCV wants BGR
        labels,
        (mx, my, w - 2 * mx, h - 2 * my),
        background_model,
        garment_model,
        GRABCUT_ITERATIONS,
        cv2.GC_INIT_WITH_RECT,
    )
    garment = np.isin(labels, (cv2.GC_FGD, cv2.GC_PR_FGD)).astype(np.uint8)
    garment = cv2.morphologyEx(garment, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    garment = cv2.resize(garment * 255, (width, height), interpolation=cv2.INTER_LINEAR) >= 128
    return _clean(garment, KEEP_FRACTION)


def _clean(mask: np.ndarray, keep_fraction: float) -> np.ndarray:
    """The mask without pieces smaller than keep_fraction of its largest piece."""
    count, pieces, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    if count <= 1:
        return mask.astype(bool)
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = np.flatnonzero(areas >= keep_fraction * areas.max()) + 1
    return np.isin(pieces, keep)


def _border(values: np.ndarray) -> np.ndarray:
    """The outermost ring of pixels, where a picture's background shows: (n,) or (n, channels)."""
    return np.concatenate([values[0], values[-1], values[1:-1, 0], values[1:-1, -1]])
