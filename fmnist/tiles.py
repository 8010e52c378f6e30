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
