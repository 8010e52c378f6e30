"""Turn any picture a person brings into what the model saw in training.

Fashion-MNIST was made this way (Xiao et al., 2017): trim the background, resize the
longest side to 28 pixels, centre, invert so the garment is bright on black, 8-bit
grayscale. `to_model_input` does the same to a drawing, a product shot or a photo on a
plain background, and keeps each step as a picture so a page can show why a result came
out as it did. Bad files raise `ImageError` with a one-line reason, never anything else.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from fmnist import segment
from fmnist.segment import GRABCUT, TRANSPARENCY, separate

# Limits a server can set: larger files are refused before decoding, and pictures claiming
# more pixels (width x height) before they are decoded, which stops decompression bombs.
# Streamlit's own cap on uploads is server.maxUploadSize in .streamlit/config.toml.
MAX_UPLOAD_BYTES = int(float(os.environ.get("FMNIST_MAX_UPLOAD_MB", "20")) * 2**20)
MAX_PIXELS = int(os.environ.get("FMNIST_MAX_PIXELS", "40000000"))
DRAFT_SIDE = 640  # JPEGs are decoded at the smallest scale still at least this big (and shown so)
WORK_SIDE = 160  # pictures are shrunk to this first: plenty for a 28x28 result (5.7 pixels each), fast
GARMENT_SIDE = 28  # the longest side of the garment, as in the dataset (which has no margin)
MIN_GARMENT_SHARE = 0.002  # of the picture: less than this is specks, not a garment
INK_FLOOR = 60  # the dimmest a garment pixel may be after stretching (0..255)
FILL_INK = 160  # what a drawn outline encloses: about the dataset's mean garment brightness
FLAT_INK = 10  # a garment whose tones span fewer grey levels than this is drawn in one tone
LUMA = np.array([0.299, 0.587, 0.114], np.float32)  # Pillow's RGB -> L weights


Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow warns above this and refuses above twice it


class ImageError(Exception):
    """The file is not an image this app can classify; the message is one line for people."""


@dataclass(frozen=True)
class Prepared:
    pixels: np.ndarray  # (28, 28) float32 in [0, 1], garment bright on black, centred
    steps: dict[str, Image.Image]  # step name -> picture, in order, for showing the work
    blank: bool  # nothing that looks like a garment was found
    method: str = ""  # how the garment was told from its background (see fmnist.segment)


def megabytes(size: int) -> str:
    return f"{size / 2**20:.3g} MB"


def open_image(data: bytes) -> Image.Image:
    """Decode file bytes into an upright RGBA image; ImageError for anything unusable."""
    if not data:
        raise ImageError("the file is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageError(f"the file is {megabytes(len(data))}; the limit is {megabytes(MAX_UPLOAD_BYTES)}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))  # reads the header only; above MAX_PIXELS it raises
            image.seek(0)  # first frame of an animated GIF or multi-page TIFF
            # A JPEG can be decoded at 1/2 to 1/8 size for nearly nothing: a 12-megapixel phone
            # photo in a fraction of the time and memory; the result needs 28 pixels.
            image.draft("RGB", (DRAFT_SIDE, DRAFT_SIDE))
            image.load()
            image = ImageOps.exif_transpose(image)  # phone photos stored sideways
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(f"the image claims more than {MAX_PIXELS:,} pixels (a decompression bomb?)") from None
    except UnidentifiedImageError:
        raise ImageError("this is not an image file Pillow can read (PNG, JPEG, WebP, GIF, BMP, TIFF)") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageError(f"the image is damaged or truncated ({error})") from None
    return _to_rgba(image)


def _to_rgba(image: Image.Image) -> Image.Image:
    """RGBA 8-bit from any mode: palette, CMYK, 16-bit and float grayscale included."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        values = np.asarray(image, dtype=np.float64)
        low, high = np.nanmin(values), np.nanmax(values)
        scaled = (values - low) / (high - low) * 255 if high > low else np.zeros_like(values)
        image = Image.fromarray(np.nan_to_num(scaled).astype(np.uint8), "L")
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    return image.convert("RGBA")


def to_model_input(image: Image.Image, fill_outlines: bool = False) -> Prepared:
    """Any RGBA picture -> the model's (28, 28) input, with the intermediate pictures.

    fill_outlines: fill what the strokes enclose, for drawings: people draw a T-shirt's
    outline, and every Fashion-MNIST garment is a filled shape.
    """
    steps = {"original": image}
    image = image.copy()
    image.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.LANCZOS)
    found = separate(np.asarray(image))
    enclosed = np.zeros_like(found.mask)
    if fill_outlines:
        filled = segment.fill_outlines(found.mask)
        found, enclosed = replace(found, mask=filled), filled & ~found.mask
    # Transparent parts are background: put the picture on white, like a product shot.
    flat = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image)
    grey = np.asarray(flat.convert("L"), dtype=np.float32)  # (h, w) 0..255
    background = 255.0 if found.method == TRANSPARENCY else float(found.background @ LUMA)
    # How far each garment pixel is from the background's grey: a dark garment on a light
    # bed and a light one on a dark floor both come out bright on black, as in the dataset.
    ink = np.where(found.mask, np.abs(grey - background), 0)
    steps["garment found"] = Image.fromarray(np.asarray(flat.convert("RGB")) * found.mask[..., None])

    rows, cols = np.nonzero(found.mask)
    if len(rows) < MIN_GARMENT_SHARE * ink.size:  # nothing but background and specks
        return Prepared(np.zeros((GARMENT_SIDE, GARMENT_SIDE), np.float32), steps, blank=True, method=found.method)
    box = (slice(rows.min(), rows.max() + 1), slice(cols.min(), cols.max() + 1))
    crop, inside = ink[box], found.mask[box]
    if found.method == GRABCUT:
        # On a textured background the distance from its grey means little: use the photo's
        # negative, as the dataset did with its product shots.
        crop = 255 - grey[box]
    # The dataset stretches every picture to full brightness; the floor keeps a pale
    # garment's shape visible where it barely differs from its background.
    low, high = np.percentile(crop[inside], [2, 98])
    if high - low < FLAT_INK:  # one flat tone, as in a drawing: all of it full brightness
        low, high = low - 255, low
    crop = INK_FLOOR + (crop - low) / (high - low) * (255 - INK_FLOOR)
    crop = np.where(inside, np.clip(crop, INK_FLOOR, 255), 0)
    crop[enclosed[box]] = FILL_INK
    cropped = Image.fromarray(crop.astype(np.uint8))
    steps["cropped"] = cropped

    scale = GARMENT_SIDE / max(cropped.size)
    size = (max(1, round(cropped.width * scale)), max(1, round(cropped.height * scale)))
    small = cropped.resize(size, Image.Resampling.LANCZOS).filter(ImageFilter.SHARPEN)
    canvas = Image.new("L", (GARMENT_SIDE, GARMENT_SIDE), 0)
    canvas.paste(small, ((GARMENT_SIDE - size[0]) // 2, (GARMENT_SIDE - size[1]) // 2))
    steps["28x28"] = canvas
    pixels = np.asarray(canvas, dtype=np.float32) / 255  # (28, 28) float32 in [0, 1], garment bright on black, centred
    return Prepared(pixels=pixels, steps=steps, blank=False, method=found.method)


def prepare_bytes(data: bytes) -> Prepared:
    return to_model_input(open_image(data))
