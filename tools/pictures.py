"""Dataset pictures as people bring them, for tests and tools."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageOps


def dark_on_white(pixels: np.ndarray, size: int = 280, margin: int = 0) -> Image.Image:
    """A (28, 28) dataset picture enlarged to size x size, dark garment on white (the dataset is
    a photo's negative), with `margin` pixels of white round it; grayscale."""
    picture = ImageOps.invert(Image.fromarray(np.asarray(pixels, np.uint8))).resize(
        (size, size), Image.Resampling.BICUBIC
    )
    return ImageOps.expand(picture, border=margin, fill=255) if margin else picture


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
