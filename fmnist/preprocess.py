"""Turn any picture a person brings into what the model saw in training.

Fashion-MNIST was made this way (Xiao et al., 2017): trim the background, resize the
longest side to 28 pixels, centre, invert so the garment is bright on black, 8-bit
grayscale. `to_model_input` does the same to a drawing, a product shot or a photo on a
plain background, and keeps each step as a picture so a page can show why a result came
out as it did. Bad files raise `ImageError` with a one-line reason, never anything else.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, replace

import cv2
import numpy as np
import pillow_heif
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from fmnist import segment, settings
from fmnist.drawing import SHAPE_INK, face_left, is_drawing, silhouette
from fmnist.segment import GRABCUT, PLAIN, TRANSPARENCY, separate
from fmnist.upright import square_up

# Limits a server can set (fmnist.settings): larger files are refused before decoding, and
# pictures claiming more pixels (width x height) before they are decoded, which stops
# decompression bombs. The app gives Streamlit's uploader the same limit (ui/compat.py).
MAX_UPLOAD_BYTES = int(settings.MAX_UPLOAD_MB * 2**20)
MAX_PIXELS = settings.MAX_PIXELS
DRAFT_SIDE = 640  # JPEGs are decoded at the smallest scale still at least this big (and shown so)
WORK_SIDE = 160  # pictures are shrunk to this first: plenty for a 28x28 result (5.7 pixels each), fast
GARMENT_SIDE = 28  # the longest side of the garment, as in the dataset (which has no margin)
MIN_GARMENT_SHARE = 0.002  # of the picture: less than this is specks, not a garment
UNIFORM_RANGE = 8  # grey levels: a picture whose smoothed tones all lie within this is blank
INK_FLOOR = 60  # the dimmest a garment pixel may be after stretching (0..255)
DETAIL_INK = 40  # strokes inside a drawn shape (a coat's opening, buttons): dark, as seams are in the dataset
# Width stretches a drawing is also classified at, the answers averaged: people draw
# proportions loosely (dev drawings, lesson's MLP: 0.50 as drawn, 0.57 averaged over these).
DRAWING_ASPECTS = (1.0, 0.7, 0.85, 1.15)
DRAWN = "drawing"  # Prepared.method for a drawing
FLAT_INK = 10  # a garment whose tones span fewer grey levels than this is drawn in one tone
# On a busy background a garment's edge pixels are part floor (and GrabCut's edge is a pixel or two
# out either way): in the photo's negative they draw a rim of floor round the garment that the
# dataset's garments never have. The edge is faded in instead, as the dataset's garments fade into
# the black, over this many pixels of the 28 x 28 (thin parts, sleeves and straps, keep their
# middle). README: Photos.
FADE_PIXELS = 1.5
CUT_OUT_BACKDROP = 215  # grey behind the garment found: neither a white nor a black garment vanishes into it
BLANK = "the picture is blank, or nearly (an empty pad, a blank page)"  # why there is nothing to classify
LUMA = np.array([0.299, 0.587, 0.114], np.float32)  # Pillow's RGB -> L weights

# iPhones save photos as HEIC, which Pillow reads once pillow-heif has registered it (its
# rotation is applied as it is decoded). AVIF Pillow reads by itself.
pillow_heif.register_heif_opener()
READABLE = "PNG, JPEG, HEIC, WebP, AVIF, GIF, BMP, TIFF"


Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow warns above this and refuses above twice it


class ImageError(Exception):
    """The file is not an image this app can classify; the message is one line for people."""


@dataclass(frozen=True)
class Prepared:
    pixels: np.ndarray  # (28, 28) float32 in 0..255 as the dataset stores them, garment bright on black, centred
    steps: dict[str, Image.Image]  # step name -> picture, in order, for showing the work
    blank: bool  # nothing that looks like a garment was found
    method: str = ""  # how the garment was told from its background (see fmnist.segment), or DRAWN
    # (k, 28, 28): pixels first, then the same garment a little narrower and wider. People draw
    # proportions loosely; the answer is averaged over these (a drawing's only).
    views: np.ndarray | None = None
    turned: bool = False  # mirrored to face as the dataset's shoes do (toe left)
    tilt: float = 0.0  # degrees a photo's garment was turned, counter-clockwise, to stand upright (fmnist.upright)
    shadow: bool = False  # the garment's soft shadow on a plain backdrop was left out (fmnist.segment)


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
        raise ImageError(f"this is not an image file Pillow can read ({READABLE})") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        lines = str(error).strip().splitlines()
        reason = lines[0][:100] if lines else type(error).__name__
        raise ImageError(f"the image is damaged or truncated ({reason})") from None
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


def to_model_input(image: Image.Image, drawing: bool | None = None) -> Prepared:
    """Any RGBA picture -> the model's (28, 28) input, with the intermediate pictures.

    drawing: True for the drawing pad, False for a photo; None decides from the picture
    (dark lines in one tone on a plain light background are a drawing). A drawing becomes
    the filled shape it stands for (fmnist.drawing), because every Fashion-MNIST garment
    is a filled shape.
    """
    steps = {"original": image}
    image = image.copy()
    image.thumbnail((WORK_SIDE, WORK_SIDE), Image.Resampling.LANCZOS)
    found = separate(np.asarray(image), light_plain=drawing is True, photo=drawing is False)
    # Transparent parts are background: put the picture on white, like a product shot.
    flat = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image)
    grey = np.asarray(flat.convert("L"), dtype=np.float32)  # (h, w) 0..255
    background = 255.0 if found.method == TRANSPARENCY else float(found.background @ LUMA)
    if drawing is None:
        drawing = found.method == PLAIN and is_drawing(grey, found.mask, background)
        if not drawing and found.method == PLAIN:  # a product shot: separated again as a photo
            found = separate(np.asarray(image), photo=True)
    steps["garment found"] = _cut_out(flat, found.mask)
    if _too_small(found.mask):
        # An empty pad, a blank page or wall, a see-through nothing: nothing to classify.
        if drawing or found.method == TRANSPARENCY or _uniform(grey):
            return Prepared(np.zeros((GARMENT_SIDE, GARMENT_SIDE), np.float32), steps, blank=True, method=found.method)
        # Something is there, but nothing stood out from its background: use it all.
        found = replace(found, mask=np.ones_like(found.mask), method=segment.WHOLE)
        steps["garment found"] = _cut_out(flat, found.mask)
    if drawing:
        shape, details = silhouette(found.mask)
        turned = face_left(shape)
        if turned:
            shape, details = shape[:, ::-1], details[:, ::-1]
        steps["filled in"] = Image.fromarray(shape.astype(np.uint8) * 255)
        ink = np.where(details, float(DETAIL_INK), np.where(shape, float(SHAPE_INK), 0.0))
        return _finish(ink, steps, DRAWN, aspects=DRAWING_ASPECTS, turned=turned)

    grey, mask, tilt = square_up(grey, found.mask, background)
    found = replace(found, mask=mask)
    # How far each garment pixel is from the background's grey: a dark garment on a light
    # bed and a light one on a dark floor both come out bright on black, as in the dataset.
    ink = np.where(found.mask, np.abs(grey - background), 0)
    rows, cols = np.nonzero(found.mask)
    box = (slice(rows.min(), rows.max() + 1), slice(cols.min(), cols.max() + 1))
    crop, inside = ink[box], found.mask[box]
    if found.method in (GRABCUT, segment.WHOLE):
        # On a textured background the distance from its grey means little: use the photo's
        # negative, as the dataset did with its product shots.
        crop = 255 - grey[box]
    # The dataset stretches every picture to full brightness; the floor keeps a pale
    # garment's shape visible where it barely differs from its background.
    low, high = np.percentile(crop[inside], [2, 98])
    if high - low < FLAT_INK:  # one flat tone: all of it full brightness
        low, high = low - 255, low
    crop = INK_FLOOR + (crop - low) / (high - low) * (255 - INK_FLOOR)
    crop = np.where(inside, np.clip(crop, INK_FLOOR, 255), 0)
    if found.method == GRABCUT:
        crop = crop * _feathered(inside)
    return _finish(crop, steps, found.method, tilt=tilt, shadow=found.shadow)


def _feathered(inside: np.ndarray) -> np.ndarray:
    """(h, w) weights: 0 outside the garment, rising from its outline to 1 at FADE_PIXELS of the
    28 x 28 in. Where the garment meets the crop's sides it is not faded: it still spans its
    28 x 28 as the dataset's garments do, and one running off the photo is not cut short."""
    ramp = FADE_PIXELS * max(inside.shape) / GARMENT_SIDE
    padded = np.pad(inside, 1, mode="edge").astype(np.uint8)  # the crop's sides are no outline
    inward = cv2.distanceTransform(padded, cv2.DIST_L2, 5)[1:-1, 1:-1]
    return np.clip(inward / ramp, 0, 1)


def _cut_out(flat: Image.Image, mask: np.ndarray) -> Image.Image:
    """What was taken for the garment, on a light grey backdrop (dark strokes stay visible)."""
    rgb = np.asarray(flat.convert("RGB"))
    return Image.fromarray(np.where(mask[..., None], rgb, np.uint8(CUT_OUT_BACKDROP)))


def _uniform(grey: np.ndarray) -> bool:
    """One tone all over, give or take noise: a blank page, not a garment on it."""
    smooth = np.asarray(Image.fromarray(grey.astype(np.uint8)).filter(ImageFilter.BoxBlur(2)), np.float32)
    low, high = np.percentile(smooth, [1, 99])
    return high - low < UNIFORM_RANGE


def _too_small(mask: np.ndarray) -> bool:
    """Nothing but background and specks."""
    return mask.sum() < MIN_GARMENT_SHARE * mask.size


def _finish(
    crop: np.ndarray,
    steps: dict,
    method: str,
    aspects=(1.0,),
    turned: bool = False,
    tilt: float = 0.0,
    shadow: bool = False,
) -> Prepared:
    """The garment's (h, w) brightness 0..255 -> longest side 28 pixels, centred on black,
    once for each width-to-height stretch in aspects (1.0 first)."""
    cropped = Image.fromarray(crop.astype(np.uint8))
    steps["cropped"] = cropped
    views = []
    for aspect in aspects:
        stretched = cropped.resize((max(1, round(cropped.width * aspect)), cropped.height), Image.Resampling.BILINEAR)
        scale = GARMENT_SIDE / max(stretched.size)
        size = (max(1, round(stretched.width * scale)), max(1, round(stretched.height * scale)))
        small = stretched.resize(size, Image.Resampling.LANCZOS)
        if method != DRAWN:  # a filled drawing has no detail to bring back
            small = small.filter(ImageFilter.SHARPEN)
        canvas = Image.new("L", (GARMENT_SIDE, GARMENT_SIDE), 0)
        canvas.paste(small, ((GARMENT_SIDE - size[0]) // 2, (GARMENT_SIDE - size[1]) // 2))
        views.append(np.asarray(canvas, dtype=np.float32))
    steps["28x28"] = Image.fromarray(views[0].astype(np.uint8))
    views = np.stack(views)  # (k, 28, 28) float32 in 0..255, garment bright on black, centred
    return Prepared(
        pixels=views[0], steps=steps, blank=False, method=method, views=views, turned=turned, tilt=tilt, shadow=shadow
    )


def what_was_done(prepared: Prepared) -> str:
    """The steps in a learner's words: what happened to their picture, and why."""
    if prepared.blank:
        return f"Nothing to classify: {BLANK}."
    if prepared.method == DRAWN:
        said = (
            "Read as a drawing: gaps in its lines were closed and what they enclose filled in, "
            "because every Fashion-MNIST garment is a filled shape."
        )
        if prepared.turned:
            said += " It was turned to point left, as every shoe in the dataset does."
        return said + " The answer is the average over the shape as drawn and a little narrower and wider."
    found = {
        TRANSPARENCY: "The see-through background was dropped",
        PLAIN: "The garment was cut out of its plain background"
        + (", leaving out the soft shadow under it (the dataset's pictures have none)" if prepared.shadow else ""),
        GRABCUT: "The garment was told apart from the busy background by its colours",
        segment.WHOLE: "Nothing stood out clearly from the background, so the whole picture was used "
        "(a photo cropped closer to the garment gives a better answer)",
    }[prepared.method]
    upright = (
        f"; it lay askew, so it was turned {abs(prepared.tilt):.0f} degrees to stand upright and square, as "
        "every garment in the dataset does"
        if prepared.tilt
        else ""
    )
    faded = (
        " Its edge was faded into the black, as theirs are, so that no rim of the background shows round it."
        if prepared.method == GRABCUT
        else ""
    )
    return (
        found
        + upright
        + "; then it was cropped, shrunk to 28 x 28 pixels and made bright on black, as the dataset's pictures are."
        + faded
    )


def prepare_bytes(data: bytes, drawing: bool | None = None) -> Prepared:
    return to_model_input(open_image(data), drawing)
