"""A photo's garment lying askew, stood upright as the dataset shows it.

Zalando photographed every garment upright, square to the frame. People lay a pair of jeans
or a T-shirt across a floor or a bed at any angle. Two rules, tried in this order:

- a garment clearly longer than it is wide (its mask's second moments), whose long axis leans
  less than 45 degrees from upright, is turned to stand upright (trousers, dresses);
- a garment with no clear long axis (a top, a bag) is turned, up to MAX_ASKEW degrees, to where
  its outline is most nearly its own mirror image about a vertical line: every top and bag is
  left-right symmetric when upright. Only an outline that becomes clearly symmetric is turned.

Shoes are left alone: the dataset's lie at their own slant (ankle boots about 30 degrees,
sandals about 12; measured on the 8k folder's training pictures). Sandals and sneakers are long
and lie nearer level than upright (the first rule leaves them, the second is not for long
shapes); an ankle boot's L is never symmetric.

Nothing here knows about the model; `fmnist.preprocess` calls `square_up` on a photo's mask.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

# Long side over short side (from the mask's moments) before a long axis counts: the dataset's
# trousers are 2.4 (median), dresses 2.2, T-shirts 1.6, ankle boots 1.6.
ELONGATED = 1.8
MIN_TURN = 8.0  # degrees: a smaller lean is left alone (the dataset's garments lean that much too)
# An outline is symmetric when it and its mirror image about a vertical line through its middle
# overlap this much (intersection over union), as upright tops and bags do. Turning must gain
# ASKEW_GAIN of overlap to count (a crumpled top is nearly as symmetric at any angle).
SYMMETRIC, ASKEW_GAIN = 0.75, 0.05
MAX_ASKEW, ASKEW_STEP = 30, 2  # degrees: the turns tried either way
SEARCH_SIDE = 64  # pixels: the outline is shrunk to this before the turns are tried


def slant(mask: np.ndarray) -> float:
    """Degrees to turn the mask, counter-clockwise as seen, to stand its long axis upright; 0
    when it has none, lies nearer level than upright, or stands upright already."""
    elongation, axis = long_axis(mask)
    if elongation < ELONGATED:
        return 0.0
    if abs(axis) < 45.0:  # nearer level: a shoe, or a garment lying on its side
        return 0.0
    turn = axis - math.copysign(90.0, axis)  # turning counter-clockwise as seen by this much stands it upright
    return turn if abs(turn) >= MIN_TURN else 0.0


def long_axis(mask: np.ndarray) -> tuple[float, float]:
    """The mask's long side over its short side (from its second moments; 1 for a disc, and for
    an empty mask), and its long axis' angle below the horizontal in degrees, -90..90."""
    moments = cv2.moments(mask.astype(np.uint8), binaryImage=True)
    mu20, mu02, mu11 = moments["mu20"], moments["mu02"], moments["mu11"]
    spread = math.hypot(mu20 - mu02, 2 * mu11)
    long, short = (mu20 + mu02 + spread) / 2, (mu20 + mu02 - spread) / 2
    if moments["m00"] == 0 or short <= 0:
        return 1.0, 0.0
    # The angle in picture rows and columns (rows grow down).
    return math.sqrt(long / short), math.degrees(0.5 * math.atan2(2 * mu11, mu20 - mu02))


def askew(mask: np.ndarray) -> float:
    """Degrees to turn a mask with no clear long axis, counter-clockwise as seen, to make it most
    nearly its own mirror image; 0 when it never becomes symmetric, or is as symmetric as it gets."""
    rows, cols = np.nonzero(mask)
    if len(rows) == 0 or long_axis(mask)[0] >= ELONGATED:
        return 0.0
    outline = mask[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1].astype(np.uint8)
    scale = SEARCH_SIDE / max(outline.shape)
    small = cv2.resize(outline, (max(1, round(outline.shape[1] * scale)), max(1, round(outline.shape[0] * scale))))
    small = np.pad(small, SEARCH_SIDE // 2).astype(bool)  # room to turn in
    as_is = mirror_overlap(small)
    best, degrees = as_is, 0.0
    for angle in range(-MAX_ASKEW, MAX_ASKEW + 1, ASKEW_STEP):
        overlap = mirror_overlap(turn(small, angle, 0)) if angle else as_is
        if overlap > best:
            best, degrees = overlap, float(angle)
    if best < SYMMETRIC or best - as_is < ASKEW_GAIN or abs(degrees) < MIN_TURN:
        return 0.0
    return degrees


def mirror_overlap(mask: np.ndarray) -> float:
    """How nearly the mask is its own mirror image about the vertical line through its middle:
    intersection over union of the two, 0..1."""
    columns = np.nonzero(mask)[1]
    if len(columns) == 0:
        return 0.0
    shift = round(2 * columns.mean() - (mask.shape[1] - 1))  # the mirror image's middle lands on the mask's
    mirrored = np.zeros_like(mask)
    flipped = mask[:, ::-1]
    if shift >= 0:
        mirrored[:, shift:] = flipped[:, : mask.shape[1] - shift]
    else:
        mirrored[:, :shift] = flipped[:, -shift:]
    return float((mask & mirrored).sum() / (mask | mirrored).sum())


def turn(picture: np.ndarray, degrees: float, fill: float) -> np.ndarray:
    """(h, w) picture turned counter-clockwise as seen, on a canvas grown to hold all of it."""
    height, width = picture.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_width, new_height = int(height * sin + width * cos + 0.5), int(height * cos + width * sin + 0.5)
    matrix[0, 2] += new_width / 2 - width / 2
    matrix[1, 2] += new_height / 2 - height / 2
    nearest = picture.dtype == bool
    source = picture.astype(np.uint8) if nearest else picture
    turned = cv2.warpAffine(
        source,
        matrix,
        (new_width, new_height),
        flags=cv2.INTER_NEAREST if nearest else cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=float(fill),
    )
    return turned.astype(bool) if nearest else turned


def square_up(grey: np.ndarray, mask: np.ndarray, background: float) -> tuple[np.ndarray, np.ndarray, float]:
    """The picture and its garment mask turned so the garment stands upright; and by how many degrees."""
    degrees = slant(mask) or askew(mask)
    if degrees == 0.0:
        return grey, mask, 0.0
    return turn(grey, degrees, background), turn(mask, degrees, 0), degrees
