"""Small pictures for image grids, drawn with Pillow: one image per cell instead of a chart.

A tile is the 28x28 image enlarged with hard pixel edges and, under it, the lesson's
`plot_value_array`: ten grey bars of the class probabilities, the predicted class red, the
true class blue (blue alone when they agree).
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

SCALE = 4  # 28 -> 112 pixels: the image at a glance
BAR_AREA = 40  # pixels of height for the probability bars
GREY, RED, BLUE, BACKGROUND = (160, 167, 175), (214, 39, 40), (31, 119, 180), (255, 255, 255)


def enlarge(pixels: np.ndarray, factor: int = SCALE) -> np.ndarray:
    """(28, 28) uint8 0..255 or float [0, 1] -> (28*factor, 28*factor) uint8, nearest neighbour."""
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8:
        pixels = (np.clip(pixels, 0, 1) * 255).astype(np.uint8)
    return np.kron(pixels, np.ones((factor, factor), np.uint8))


def prediction_tile(pixels: np.ndarray, probabilities: np.ndarray, true_label: int) -> Image.Image:
    """(28*SCALE) wide RGB picture: the image above its ten probability bars."""
    image = Image.fromarray(enlarge(pixels)).convert("RGB")
    width = image.width
    tile = Image.new("RGB", (width, width + BAR_AREA + 4), BACKGROUND)
    tile.paste(image, (0, 0))
    draw = ImageDraw.Draw(tile)
    predicted = int(np.argmax(probabilities))
    slot = width / len(probabilities)
    base = width + BAR_AREA + 2
    for index, probability in enumerate(probabilities):
        colour = BLUE if index == true_label else RED if index == predicted else GREY
        height = max(1, round(float(probability) * BAR_AREA))
        left = round(index * slot + 1)
        draw.rectangle([left, base - height, round((index + 1) * slot - 2), base], fill=colour)
    return tile


def saliency_overlay(pixels: np.ndarray, saliency: np.ndarray, factor: int = 8) -> Image.Image:
    """The (28, 28) [0, 1] input in dim grey, red where a pixel pushed towards the answer, blue
    where it pushed away; saliency is (28, 28) in [-1, 1]. Enlarged with hard pixel edges."""
    grey = np.clip(pixels, 0, 1) * 0.45
    towards, away = np.clip(saliency, 0, 1), np.clip(-saliency, 0, 1)
    rgb = np.stack([grey + towards, grey * (1 - towards) * (1 - away), grey + away], axis=-1)
    rgb = (np.clip(rgb, 0, 1) * 255).astype(np.uint8)
    return Image.fromarray(np.kron(rgb, np.ones((factor, factor, 1), np.uint8)))


def square(picture: Image.Image, side: int, background=(240, 242, 246)) -> Image.Image:
    """The picture fitted into a side x side RGB tile, centred, neither side under one pixel:
    every step of the Classify page the same size, a 4000 x 12 strip included."""
    scale = side / max(picture.size)
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    resample = Image.Resampling.NEAREST if max(picture.size) <= 28 else Image.Resampling.LANCZOS
    tile = Image.new("RGB", (side, side), background)
    tile.paste(picture.convert("RGB").resize(size, resample), ((side - size[0]) // 2, (side - size[1]) // 2))
    return tile
