"""A photo's trousers or dress lying at a slant, stood upright as the dataset shows them.

Zalando photographed trousers and dresses standing upright, square to the frame. People lay
a pair of jeans across a floor or a bed at any angle. A garment clearly longer than it is
wide (its mask's second moments), whose long axis leans less than 45 degrees from upright, is
turned to stand upright. Shoes are left alone: the dataset's lie at their own slant (ankle
boots about 30 degrees, sandals about 12; measured on the 8k folder's training pictures), and
so are roughly square garments (tops, bags), which have no long axis to go by.

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


def slant(mask: np.ndarray) -> float:
    """Degrees to turn the mask, counter-clockwise as seen, to stand its long axis upright; 0
    when it has none, lies nearer level than upright, or stands upright already."""
    moments = cv2.moments(mask.astype(np.uint8), binaryImage=True)
    if moments["m00"] == 0:
        return 0.0
    mu20, mu02, mu11 = moments["mu20"], moments["mu02"], moments["mu11"]
    spread = math.hypot(mu20 - mu02, 2 * mu11)
    long, short = (mu20 + mu02 + spread) / 2, (mu20 + mu02 - spread) / 2
    if short <= 0 or math.sqrt(long / short) < ELONGATED:
        return 0.0
    # The long axis' angle below the horizontal, in picture rows and columns (rows grow down).
    axis = math.degrees(0.5 * math.atan2(2 * mu11, mu20 - mu02))
    if abs(axis) < 45.0:  # nearer level: a shoe, or a garment lying on its side
        return 0.0
    turn = axis - math.copysign(90.0, axis)  # turning counter-clockwise as seen by this much stands it upright
    return turn if abs(turn) >= MIN_TURN else 0.0


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
    degrees = slant(mask)
    if degrees == 0.0:
        return grey, mask, 0.0
    return turn(grey, degrees, background), turn(mask, degrees, 0), degrees
