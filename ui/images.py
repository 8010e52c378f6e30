"""Pictures for st.image: 28x28 arrays enlarged with hard pixel edges, as the model sees them."""

from __future__ import annotations

import numpy as np


def enlarge(pixels: np.ndarray, factor: int = 4) -> np.ndarray:
    """(28, 28) uint8 0..255 or float [0, 1] -> (28*factor, 28*factor) uint8, nearest neighbour."""
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8:
        pixels = (np.clip(pixels, 0, 1) * 255).astype(np.uint8)
    return np.kron(pixels, np.ones((factor, factor), np.uint8))
