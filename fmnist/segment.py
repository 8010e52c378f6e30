"""Find the garment in a picture: which pixels are garment and which are background.

Three cases, tried in this order:
- transparency: a cut-out PNG says itself where the garment is;
- a plain background (a drawing, a product shot on white or on any flat colour): every
  pixel whose colour differs enough from the picture's border is garment;
- anything else (a phone photo on a bed, a floor, a rug): OpenCV's GrabCut, which learns a
  colour model of the garment and of the background and cuts between them, started from
  "the border is background, the middle may be garment". When that finds next to nothing,
  the photo is likely a close-up whose garment runs off the edges and so puts its own colours
  in the border: GrabCut is started again with the border's colours that also fill the
  picture's middle counted as garment's.

Nothing here knows about the model; `fmnist.preprocess` turns the result into 28 x 28.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

PLAIN_SPREAD = 24  # RGB distance from the border's median colour within which a border pixel is "the same colour"
PLAIN_SHARE = 0.85  # this share of the border the same colour: a plain background (a garment may touch the edge)
COLOUR_TOLERANCE = 40  # RGB distance from a plain background's colour that still counts as background
GRABCUT_SIDE = 128  # GrabCut runs on a copy this size: ~30 ms, and a 28 x 28 result needs no more
GRABCUT_ITERATIONS = 4
GRABCUT_MARGIN = 0.04  # of each side: the frame GrabCut takes as sure background
FRAME_TONES = 4  # colours a background's frame is summarised by
# A garment differing from its plain background by less than COLOUR_TOLERANCE (a white shirt
# on a white sheet) leaves less than FAINT_SHARE of the picture found: the tolerance is then
# Otsu's threshold of the distances instead, at least FAINT_NOISE times the border's noise.
FAINT_SHARE, FAINT_NOISE, FAINT_FLOOR = 0.05, 4.0, 6.0
# A photo's plain backdrop (not a drawing's paper) is told from the garment at FAINT_NOISE times
# its noise, at least this: a catalogue's white is even, and a white garment on it differs by little.
CLEAN_FLOOR = 10.0
CLOSE_UP_SHARE = 0.05  # GrabCut found less than this share: tried again as a close-up
MIDDLE_SHARE = 0.2  # a frame tone covering this share of the picture's middle is the garment's
ALL_BUT_A_FRAME = 0.97  # a retry that finds more than this share took the background too
KEEP_FRACTION = 0.15  # pieces smaller than this share of the largest are specks, not garment
# A piece below the garment whose colour is grey (channels within SHADOW_CHROMA) and nearer the
# backdrop than SHADOW_DEPTH (RGB distance) is its shadow on the backdrop, not a part of it.
SHADOW_CHROMA, SHADOW_DEPTH = 16, 110

TRANSPARENCY, PLAIN, GRABCUT = "transparency", "plain background", "GrabCut"
WHOLE = "whole picture"  # nothing stood out from a busy background: fmnist.preprocess uses it all


@dataclass(frozen=True)
class Separation:
    mask: np.ndarray  # (h, w) bool, True on the garment
    method: str  # TRANSPARENCY, PLAIN or GRABCUT
    background: np.ndarray  # (3,) float32 RGB: the background's typical colour
    shadow: bool = False  # a soft shadow under the garment was found and left out (photos on a plain backdrop)


def separate(rgba: np.ndarray, light_plain: bool = False, photo: bool = False) -> Separation:
    """(h, w, 4) uint8 RGBA -> where the garment is.

    light_plain: the caller knows the background is plain and light (the drawing pad's paper),
    however much of the border the strokes cover: a big scribble running off the pad's edges
    would otherwise look like a busy background.
    photo: the caller knows the picture is no drawing. On a plain backdrop as clean as a
    catalogue's, a garment is then told from it down to the backdrop's own noise (a white
    T-shirt on white is found whole, not as its print), and its soft shadow is left out.
    """
    rgb, alpha = rgba[..., :3].astype(np.float32), rgba[..., 3]
    border = _border(rgb)
    background = np.median(border, axis=0)
    if _border(alpha).min() < 128:  # a see-through frame: the picture is a cut-out
        return Separation(_clean(alpha >= 128, KEEP_FRACTION / 10), TRANSPARENCY, background)
    if light_plain:  # the paper is the border's lightest tenth, not its median
        lightest = border.sum(axis=1) >= np.percentile(border.sum(axis=1), 90)
        background = np.median(border[lightest], axis=0)
    spread = np.linalg.norm(border - background, axis=1)
    if light_plain or np.mean(spread <= PLAIN_SPREAD) >= PLAIN_SHARE:
        # Drawings have separate strokes (a sandal's straps), so only specks are dropped.
        distance = np.linalg.norm(rgb - background, axis=2)
        tolerance = _clean_tolerance(spread) if photo else COLOUR_TOLERANCE
        mask = distance > tolerance
        if mask.mean() < FAINT_SHARE:
            mask = distance > _faint_tolerance(distance, spread)
        mask = _clean(mask, KEEP_FRACTION / 10)
        garment = _without_shadow(mask, rgb, distance) if photo else mask
        return Separation(garment, PLAIN, background, shadow=bool((mask & ~garment).any()))
    mask = _grabcut(rgba[..., :3])
    if mask.mean() < CLOSE_UP_SHARE:  # perhaps a close-up: the garment runs off the edges
        retry = _grabcut(rgba[..., :3], close_up=True)
        if mask.mean() < retry.mean() < ALL_BUT_A_FRAME:
            mask = retry
    return Separation(mask, GRABCUT, background)


def _without_shadow(mask: np.ndarray, rgb: np.ndarray, distance: np.ndarray) -> np.ndarray:
    """The mask without a product shot's soft shadow: a piece apart from the garment, lying
    below it, grey and lighter than a grey garment would be (Fashion-MNIST's pictures have no
    shadows; kept, a shoe's shadow made it a taller shape, a bag's)."""
    count, pieces, stats, centres = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    if count <= 2:
        return mask
    garment = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    bottom = stats[garment, cv2.CC_STAT_TOP] + stats[garment, cv2.CC_STAT_HEIGHT]
    chroma = rgb.max(axis=2) - rgb.min(axis=2)
    shadows = [
        piece
        for piece in range(1, count)
        if piece != garment
        and centres[piece][1] > bottom
        and np.median(chroma[pieces == piece]) < SHADOW_CHROMA
        and np.median(distance[pieces == piece]) < SHADOW_DEPTH
    ]
    return mask & ~np.isin(pieces, shadows) if shadows else mask


def _clean_tolerance(spread: np.ndarray) -> float:
    """The colour distance from a photo's plain backdrop that is garment: COLOUR_TOLERANCE on
    a noisy one (a wall, a sheet), down to CLEAN_FLOOR on a catalogue's even white."""
    return float(min(COLOUR_TOLERANCE, max(CLEAN_FLOOR, FAINT_NOISE * _noise(spread))))


def _noise(spread: np.ndarray) -> float:
    """The border's spread of colours about the background's, as a standard deviation."""
    return float(np.median(spread) * 1.4826)


def _faint_tolerance(distance: np.ndarray, spread: np.ndarray) -> float:
    """The colour distance that tells a faint garment from its background: Otsu's split of
    the picture's distances, above the border's own noise."""
    levels = np.clip(distance, 0, 255).astype(np.uint8)
    otsu, _ = cv2.threshold(levels, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return float(min(COLOUR_TOLERANCE, max(otsu, FAINT_NOISE * _noise(spread), FAINT_FLOOR)))


def _grabcut(rgb: np.ndarray, close_up: bool = False) -> np.ndarray:
    height, width = rgb.shape[:2]
    scale = GRABCUT_SIDE / max(height, width)
    small = cv2.resize(rgb, (max(8, round(width * scale)), max(8, round(height * scale))), interpolation=cv2.INTER_AREA)
    h, w = small.shape[:2]
    # The start: colours unlike the frame's are probably garment; the rest of the frame is
    # sure background, the rest of the middle probably background. (Started from a plain rectangle,
    # GrabCut sometimes gives the whole picture to the background on a busy rug.)
    mx, my = max(1, round(w * GRABCUT_MARGIN)), max(1, round(h * GRABCUT_MARGIN))
    smooth = cv2.GaussianBlur(small, (5, 5), 0).astype(np.float32)
    frame = _border(smooth)
    # A rug's or a floor's frame has several colours (a checker's two tones): measure each
    # pixel against the nearest of a few frame colours, not against their average.
    cv2.setRNGSeed(0)  # the same picture always gives the same cut
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 10, 1.0)
    _, _, tones = cv2.kmeans(frame, FRAME_TONES, None, criteria, 2, cv2.KMEANS_PP_CENTERS)
    if close_up:
        tones, frame = _background(smooth, frame, tones)
    distance = np.linalg.norm(smooth[:, :, None, :] - tones, axis=3).min(axis=2)  # (h, w)
    unlike_frame = distance > np.percentile(np.linalg.norm(frame[:, None] - tones, axis=2).min(axis=1), 95)
    labels = np.full((h, w), cv2.GC_BGD, np.uint8)
    labels[my:-my, mx:-mx] = cv2.GC_PR_BGD
    labels[unlike_frame] = cv2.GC_PR_FGD  # in the frame too: a garment may run off the edge
    if unlike_frame[my:-my, mx:-mx].mean() < 0.01:  # nothing stands out: let GrabCut find it in the middle
        labels[my:-my, mx:-mx] = cv2.GC_PR_FGD
    background_model, garment_model = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    if (labels == cv2.GC_PR_FGD).any():
        cv2.grabCut(
            np.ascontiguousarray(small[..., ::-1]),  # OpenCV wants BGR
            labels,
            None,
            background_model,
            garment_model,
            GRABCUT_ITERATIONS,
            cv2.GC_INIT_WITH_MASK,
        )
    garment = np.isin(labels, (cv2.GC_FGD, cv2.GC_PR_FGD)).astype(np.uint8)
    garment = cv2.morphologyEx(garment, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    garment = cv2.resize(garment * 255, (width, height), interpolation=cv2.INTER_LINEAR) >= 128
    return _clean(garment, KEEP_FRACTION)


def _background(smooth: np.ndarray, frame: np.ndarray, tones: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The frame's tones and pixels without those of the garment: a garment running off the
    edges puts its colours in the frame, and they fill the picture's middle too."""
    h, w = smooth.shape[:2]
    middle = smooth[int(h * 0.3) : int(h * 0.7), int(w * 0.3) : int(w * 0.7)].reshape(-1, 3)
    near = np.linalg.norm(middle[:, None] - tones, axis=2)
    frame_near = np.linalg.norm(frame[:, None] - tones, axis=2)
    limit = np.percentile(frame_near.min(axis=1), 95)
    share = np.bincount(near.argmin(axis=1)[near.min(axis=1) <= limit], minlength=len(tones)) / len(middle)
    keep = share < MIDDLE_SHARE
    if not keep.any():
        return tones, frame
    return tones[keep], frame[keep[frame_near.argmin(axis=1)]]


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
