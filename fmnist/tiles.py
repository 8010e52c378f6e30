"""Small pictures drawn with Pillow and numpy: a 28 x 28 picture enlarged with hard pixel
edges, a saliency map smoothed and laid over its picture, a picture fitted into a square tile.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

SCALE = 4  # 28 -> 112 pixels: the image at a glance


def enlarge(pixels: np.ndarray, factor: int = SCALE) -> np.ndarray:
    """(28, 28) uint8 0..255 or float [0, 1] -> (28*factor, 28*factor) uint8, nearest neighbour."""
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8:
        pixels = (np.clip(pixels, 0, 1) * 255).astype(np.uint8)
    return np.kron(pixels, np.ones((factor, factor), np.uint8))


def smoothed(saliency: np.ndarray, passes: int = 2) -> np.ndarray:
    """(28, 28) saliency in [-1, 1] blurred a little ([1, 2, 1] / 4 each way, `passes` times) and
    scaled back to [-1, 1]: regions that pushed the answer, not a checkerboard of single pixels."""
    smooth = np.asarray(saliency, np.float32)
    for _ in range(passes):
        padded = np.pad(smooth, 1, mode="edge")
        smooth = (padded[:-2] + 2 * padded[1:-1] + padded[2:])[:, 1:-1] / 4
        padded = np.pad(smooth, 1, mode="edge")
        smooth = (padded[:, :-2] + 2 * padded[:, 1:-1] + padded[:, 2:])[1:-1] / 4
    scale = np.abs(smooth).max()
    return smooth / scale if scale > 0 else smooth


def saliency_overlay(pixels: np.ndarray, saliency: np.ndarray, side: int = 224) -> Image.Image:
    """The (28, 28) [0, 1] input in grey with the smoothed saliency over it, side x side RGB: red
    where the picture pushed towards the answer, blue where it pushed away, clear where it
    hardly mattered. saliency is (28, 28) in [-1, 1]."""
    smooth = smoothed(saliency)
    grey = np.clip(pixels, 0, 1)[..., None] * 0.6 + 0.2
    strength = np.clip((np.abs(smooth) - 0.15) / 0.85, 0, 1)[..., None]  # the weakest 15% left clear
    colour = np.where(smooth[..., None] > 0, np.array([0.84, 0.15, 0.16]), np.array([0.12, 0.47, 0.71]))
    rgb = grey * (1 - 0.8 * strength) + colour * 0.8 * strength
    small = Image.fromarray((np.clip(rgb, 0, 1) * 255).astype(np.uint8))
    return small.resize((side, side), Image.Resampling.BILINEAR)


def square(picture: Image.Image, side: int, background=(240, 242, 246)) -> Image.Image:
    """The picture fitted into a side x side RGB tile, centred, neither side under one pixel:
    every step of the Classify page the same size, a 4000 x 12 strip included."""
    scale = side / max(picture.size)
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    resample = Image.Resampling.NEAREST if max(picture.size) <= 28 else Image.Resampling.LANCZOS
    tile = Image.new("RGB", (side, side), background)
    tile.paste(picture.convert("RGB").resize(size, resample), ((side - size[0]) // 2, (side - size[1]) // 2))
    return tile


NEGATIVE, ZERO, POSITIVE = np.array([0.13, 0.40, 0.67]), np.array([0.97, 0.97, 0.97]), np.array([0.70, 0.09, 0.17])


def diverging(values: np.ndarray, limit: float | None = None) -> np.ndarray:
    """(..., ) float values -> (..., 3) uint8 RGB: red for positive, blue for negative, near-white
    at zero, full colour at +-limit (default: the largest magnitude)."""
    values = np.asarray(values, np.float32)
    limit = float(np.abs(values).max()) if limit is None else limit
    level = np.clip(values / limit, -1, 1)[..., None] if limit > 0 else np.zeros((*values.shape, 1), np.float32)
    strength = np.abs(level) ** 0.8  # a little lift for the faint weights, which are most of them
    colour = np.where(level > 0, POSITIVE, NEGATIVE)
    return ((ZERO * (1 - strength) + colour * strength) * 255).astype(np.uint8)


def mosaic(pictures: np.ndarray, columns: int, scale: int = 2, gap: int = 2) -> Image.Image:
    """(k, h, w) float pictures as one RGB image, `columns` a row, each enlarged `scale` times
    and coloured by `diverging` against its own largest magnitude."""
    pictures = np.asarray(pictures, np.float32)
    return _grid(np.stack([diverging(picture) for picture in pictures]), columns, scale, gap)


def activation_mosaic(maps: np.ndarray, columns: int, scale: int = 3, gap: int = 2) -> Image.Image:
    """(h, w, k) feature maps of one picture as one greyscale-on-white image: each map bright
    where it fires, all on one scale (a map that barely fires stays dark)."""
    maps = np.moveaxis(np.asarray(maps, np.float32), -1, 0)  # (k, h, w)
    top_value = float(maps.max()) if maps.size and maps.max() > 0 else 1.0
    return _grid((np.clip(maps / top_value, 0, 1) * 255).astype(np.uint8), columns, scale, gap)


def _grid(cells: np.ndarray, columns: int, scale: int, gap: int) -> Image.Image:
    """(k, h, w) or (k, h, w, 3) uint8 cells on white, `columns` a row, each enlarged `scale`
    times with hard pixel edges, `gap` white pixels around each."""
    count, height, width = cells.shape[:3]
    rows = max(1, -(-count // columns))
    cell_h, cell_w = height * scale + gap, width * scale + gap
    canvas = np.full((rows * cell_h + gap, columns * cell_w + gap, *cells.shape[3:]), 255, np.uint8)
    for index, cell in enumerate(cells):
        row, column = divmod(index, columns)
        top, left = gap + row * cell_h, gap + column * cell_w
        canvas[top : top + height * scale, left : left + width * scale] = cell.repeat(scale, 0).repeat(scale, 1)
    return Image.fromarray(canvas)
