"""Stand-ins for people's photos of garments, made from Fashion-MNIST pictures.

Nobody's phone is reachable from a test, so these play the part: a dataset garment is
enlarged, given a colour and shading (dark-on-light, as a camera sees it), slightly
rotated, maybe mirrored, and laid off-centre on a background: a white product-shot
backdrop, a bed sheet with folds, a wooden floor, or a patterned rug, under uneven light,
with sensor noise and JPEG compression. Because the picture each one came from is known,
a test can check that the preprocessing brings it back to what the model expects.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

BACKGROUNDS = ("white", "bed", "floor", "rug")


@dataclass(frozen=True)
class StandIn:
    image: Image.Image  # RGB, a photo-like picture of one garment
    background: str  # one of BACKGROUNDS
    mirrored: bool  # the garment faces the other way from its dataset picture


def photo_of(
    pixels: np.ndarray,
    rng: np.random.Generator,
    background: str = "floor",
    size: tuple[int, int] = (400, 300),
    close_up: bool = False,
) -> StandIn:
    """A photo-like RGB picture of the (28, 28) uint8 dataset garment `pixels` on `background`.

    close_up: the photo is cropped close around the garment, which runs off some of its
    edges, as a phone photo of a shirt on a bed often is."""
    if background not in BACKGROUNDS:
        raise ValueError(f"background must be one of {BACKGROUNDS}, not {background!r}")
    width, height = size
    mirrored = bool(rng.random() < 0.5)
    garment = Image.fromarray(np.asarray(pixels, np.uint8))
    if mirrored:
        garment = garment.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    side = int(min(width, height) * rng.uniform(0.5, 0.85))  # the garment's longest side in the photo
    garment = garment.resize((side, side), Image.Resampling.BICUBIC).rotate(
        rng.uniform(-10, 10), resample=Image.Resampling.BILINEAR, expand=True
    )
    ink = np.asarray(garment.filter(ImageFilter.GaussianBlur(side / 200)), np.float32) / 255  # 1 = dark in the photo
    alpha = np.clip((ink - 0.06) / 0.1, 0, 1)[..., None]  # where the garment is: its faint outline is not
    colour = _garment_colour(rng)
    shade = 1 - 0.6 * ink[..., None]  # the dataset is the photo's negative: bright there is dark here
    cloth = colour * shade * rng.uniform(0.85, 1.1) + rng.normal(0, 4, (*ink.shape, 3))

    photo = _background(background, rng, width, height)
    top = int(rng.uniform(0.03, 0.97) * max(0, height - ink.shape[0]))
    left = int(rng.uniform(0.03, 0.97) * max(0, width - ink.shape[1]))
    h, w = min(ink.shape[0], height - top), min(ink.shape[1], width - left)
    region = photo[top : top + h, left : left + w]
    a, c = alpha[:h, :w], cloth[:h, :w]
    shadow = np.clip(np.roll(a, (4, 4), axis=(0, 1)) - a, 0, 1) * 0.35  # a soft shadow below-right
    photo[top : top + h, left : left + w] = region * (1 - shadow) * (1 - a) + c * a
    photo *= _lighting(rng, width, height)[..., None]
    photo += rng.normal(0, 3, photo.shape)  # sensor noise
    quality = int(rng.integers(70, 92))
    if close_up:
        rows, cols = np.nonzero(alpha[:h, :w, 0] > 0.5)
        box = np.array([top + rows.min(), left + cols.min(), top + rows.max() + 1, left + cols.max() + 1])
        extent = np.array([box[2] - box[0], box[3] - box[1]] * 2)
        inward = rng.uniform(-0.06, 0.1, 4) * extent * [1, 1, -1, -1]  # >0: the edge cuts into the garment
        top_, left_, bottom, right = np.clip(box + inward, 0, [height, width] * 2).astype(int)
        photo = photo[top_:bottom, left_:right]
    image = Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8), "RGB")
    return StandIn(image=_jpeg(image, quality), background=background, mirrored=mirrored)


def _garment_colour(rng: np.random.Generator) -> np.ndarray:
    """Mostly everyday colours: dark, mid, bright and light garments all occur."""
    base = rng.uniform(20, 255, 3)
    if rng.random() < 0.3:  # greys, blacks and whites
        base = np.full(3, rng.uniform(20, 250))
    return base.astype(np.float32)


def _background(kind: str, rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """(height, width, 3) float32 0..255."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    if kind == "white":
        tone = np.full((height, width), rng.uniform(232, 255))
        colour = np.ones(3)
    elif kind == "bed":  # a sheet: pale colour, soft folds
        angle = rng.uniform(0, np.pi)
        across = x * np.cos(angle) + y * np.sin(angle)
        tone = rng.uniform(170, 235) + 18 * np.sin(across / rng.uniform(15, 40)) * np.sin(y / rng.uniform(30, 70))
        colour = rng.uniform(0.75, 1.0, 3)
    elif kind == "floor":  # wooden boards: stripes with grain
        boards = (y if rng.random() < 0.5 else x) / rng.uniform(25, 50)
        grain = rng.normal(0, 1, (height, width)).cumsum(axis=1 if boards is y else 0) / 10
        tone = rng.uniform(110, 190) + 20 * np.sin(boards * np.pi * 2) + 8 * np.sin(grain) + 15 * (boards % 1 < 0.04)
        colour = np.array([1.0, 0.78, 0.55]) * rng.uniform(0.9, 1.1, 3)
    else:  # a rug: a coloured weave with a repeating pattern
        period = rng.uniform(8, 24)
        weave = np.sin(x / period * np.pi) * np.sin(y / period * np.pi)
        tone = rng.uniform(90, 200) + 35 * np.sign(weave) + rng.normal(0, 12, (height, width))
        colour = rng.uniform(0.4, 1.0, 3)
    return np.clip(tone[..., None] * colour, 0, 255).astype(np.float32)


def _lighting(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """A gentle brightness gradient across the picture, as under a window or a lamp."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (x / width - 0.5) * np.cos(angle) + (y / height - 0.5) * np.sin(angle)
    return 1 + ramp * rng.uniform(0, 0.35)


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def pale_on_white(pixels: np.ndarray, rng: np.random.Generator, contrast: float = 0.12) -> Image.Image:
    """A pale garment on a white sheet (a white shirt on a white bed): the dataset picture
    shaded at most `contrast` x 255 grey levels below the background, with a camera's noise,
    as a JPEG; nothing else about it is hard."""
    shade = np.asarray(Image.fromarray(np.asarray(pixels, np.uint8)).resize((200, 200), Image.Resampling.BICUBIC))
    photo = np.pad(248 - contrast * shade.astype(np.float32), 40, constant_values=248)
    photo += rng.normal(0, 1.5, photo.shape)
    return _jpeg(Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8)), 92)
