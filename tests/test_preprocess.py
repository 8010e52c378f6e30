"""User pictures become the model's input: (28, 28) float32 in 0..255 as the dataset stores them,
bright garment on black."""

import io

import cv2
import numpy as np
import pillow_heif
import pytest
from PIL import Image, ImageOps

from fmnist.preprocess import ImageError, open_image, prepare_bytes, to_model_input, what_was_done
from fmnist.segment import GRABCUT, WHOLE
from tests.conftest import needs_real_data
from tools.pictures import dark_on_white


def encode(image: Image.Image, format: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


as_photo = dark_on_white  # a dataset image as a person would bring it: large, dark garment on white


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


@pytest.mark.parametrize("format", ["PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF"])
def test_a_dataset_garment_comes_back_close_to_itself_from_every_format(dataset, format):
    original = dataset.test.images[0]
    prepared = prepare_bytes(encode(as_photo(original).convert("RGB" if format == "JPEG" else "L"), format))
    assert prepared.pixels.shape == (28, 28) and prepared.pixels.dtype == np.float32
    assert 0 <= prepared.pixels.min() and prepared.pixels.max() <= 255
    assert similarity(prepared.pixels, original) > 0.8


def test_a_small_drawing_in_a_corner_is_cropped_and_centred():
    canvas = Image.new("L", (400, 400), 255)
    canvas.paste(0, (20, 30, 80, 150))  # a dark, tall block near the top-left corner
    pixels = to_model_input(canvas.convert("RGBA")).pixels
    rows, cols = np.nonzero(pixels > 128 / 2)
    assert rows.min() == 0 and rows.max() == 27  # the longest side fills 28 pixels
    assert abs((cols.min() + cols.max()) / 2 - 13.5) <= 1  # centred left to right
    assert pixels[0, 0] == 0  # background is black


def test_a_transparent_background_counts_as_background():
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))  # fully transparent black
    image.paste((200, 30, 30, 255), (30, 10, 70, 90))
    pixels = prepare_bytes(encode(image)).pixels
    assert pixels[0, 0] == 0 and pixels[14, 14] > 128


def test_a_blank_picture_is_marked_blank_not_classified():
    assert prepare_bytes(encode(Image.new("RGB", (300, 300), "white"))).blank


def test_every_step_is_kept_as_a_picture_for_the_page(dataset):
    steps = prepare_bytes(encode(as_photo(dataset.test.images[0]))).steps
    assert list(steps) == ["original", "garment found", "cropped", "28x28"]
    assert steps["28x28"].size == (28, 28)


def test_exif_rotation_is_applied(dataset):
    upright = as_photo(dataset.test.images[1]).convert("RGB")
    stored_sideways = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 clockwise to display", as phones write it
    image = open_image(encode(stored_sideways, "JPEG", exif=exif))
    assert image.size == upright.size


@pytest.mark.parametrize(
    "make",
    [
        lambda: Image.new("CMYK", (60, 60), (0, 0, 0, 0)),
        lambda: Image.new("I;16", (60, 60), 1000),
        lambda: Image.new("F", (60, 60), 0.5),
        lambda: Image.new("P", (60, 60), 0),
        lambda: Image.new("LA", (60, 60), (0, 255)),
    ],
    ids=["CMYK", "16-bit", "float", "palette", "grey with alpha"],
)
def test_unusual_image_modes_are_read(make):
    image = make()
    image.paste(image.getpixel((0, 0)) if image.mode != "CMYK" else (255, 255, 255, 255), (20, 10, 40, 50))
    format = "TIFF" if image.mode in ("CMYK", "I;16", "F") else "PNG"
    assert prepare_bytes(encode(image, format)).pixels.shape == (28, 28)


def test_the_first_frame_of_an_animated_gif_is_used():
    frames = [Image.new("L", (50, 50), 255), Image.new("L", (50, 50), 0)]
    frames[0].paste(0, (10, 10, 40, 40))
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    assert not prepare_bytes(data).blank


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"<html><body>not a picture</body></html>", "not an image file"),
        (b"PK\x03\x04" + b"\x00" * 100, "not an image file"),
    ],
    ids=["empty", "html", "zip"],
)
def test_files_that_are_not_images_get_a_one_line_reason(data, reason):
    with pytest.raises(ImageError, match=reason) as error:
        prepare_bytes(data)
    assert "\n" not in str(error.value)


def test_a_truncated_png_is_called_damaged(dataset):
    data = encode(as_photo(dataset.test.images[0]))
    with pytest.raises(ImageError, match="damaged or truncated"):
        prepare_bytes(data[: len(data) // 2])


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    header = encode(Image.new("1", (40_000, 40_000)))  # tiny file, 1.6 billion pixels
    with pytest.raises(ImageError, match="pixels"):
        prepare_bytes(header)


# --- Photos: stand-ins made from test pictures come back as the dataset pictures ---------


def recovered(dataset, background: str, count: int = 12, close_up: bool = False) -> tuple[float, list[str]]:
    """Median correlation between each stand-in's 28 x 28 result and the picture it was made
    from, and how each garment was found."""
    from tools.standins import photo_of

    scores, methods = [], []
    for index in range(count):
        original = dataset.test.images[index]
        rng = np.random.default_rng(100 + index)
        stand_in = photo_of(original, rng, background, size=(640, 480), close_up=close_up)
        prepared = prepare_bytes(encode(stand_in.image, "JPEG", quality=90))
        scores.append(similarity(prepared.pixels, original[:, ::-1] if stand_in.mirrored else original))
        methods.append(prepared.method)
    return float(np.median(scores)), methods


@needs_real_data
@pytest.mark.parametrize("background", ["white", "bed", "floor", "rug"])
def test_a_photo_of_a_garment_off_centre_on_a_background_comes_back_like_its_dataset_picture(dataset, background):
    assert recovered(dataset, background)[0] > 0.7


@needs_real_data
@pytest.mark.parametrize("background", ["white", "bed", "floor", "rug"])
def test_a_close_up_photo_with_the_garment_running_off_its_edges_comes_back_like_its_dataset_picture(
    dataset, background
):
    # The garment's colours are in the picture's frame too, where the background is looked for.
    similar, methods = recovered(dataset, background, close_up=True)
    assert methods.count(WHOLE) <= 2, methods  # found, not the whole picture taken for want of it
    assert similar > 0.7


@needs_real_data
def test_the_pipeline_recovers_photos_far_better_than_squashing_them(dataset):
    from tools.standins import photo_of

    original = dataset.test.images[3]
    stand_in = photo_of(original, np.random.default_rng(7), "floor")
    squashed = np.asarray(ImageOps.invert(stand_in.image.convert("L").resize((28, 28))), np.float32)
    reference = original[:, ::-1] if stand_in.mirrored else original
    assert (
        similarity(prepare_bytes(encode(stand_in.image, "JPEG")).pixels, reference)
        > similarity(squashed, reference) + 0.3
    )


def test_a_drawn_outline_becomes_a_filled_shape_in_one_tone_like_a_dataset_garment():
    from PIL import ImageDraw

    drawing = Image.new("RGBA", (280, 280), "white")
    ImageDraw.Draw(drawing).rectangle((60, 40, 220, 240), outline="black", width=14)
    as_lines = to_model_input(drawing, drawing=False).pixels
    filled = to_model_input(drawing).pixels  # told apart as a drawing by itself
    assert as_lines[14, 14] == 0 and filled[14, 14] > 80  # the middle: empty as drawn, garment when filled
    assert filled[2:26, 6:22].std() < 1  # one flat tone, no bright rim round a grey middle


# --- Every kind of bad file: a result or one clear line, never anything else -------------


def _png_with_broken_checksum() -> bytes:
    data = bytearray(encode(Image.effect_noise((40, 40), 60)))
    data[data.index(b"IDAT") + 10] ^= 0xFF  # a byte of the pixel data, so its chunk's CRC no longer matches
    return bytes(data)


def _multipage_tiff() -> bytes:
    first = Image.new("L", (60, 60), 255)
    first.paste(0, (10, 10, 50, 50))
    return encode(first, "TIFF", save_all=True, append_images=[Image.new("L", (60, 60), 0)])


def _palette_with_transparency() -> bytes:
    image = Image.new("P", (60, 60), 0)
    image.putpalette([255, 255, 255, 200, 30, 30] + [0] * 762)
    image.paste(1, (15, 10, 45, 50))
    return encode(image, "PNG", transparency=0)


def _heic(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    pillow_heif.from_pillow(image.convert("RGB")).save(buffer, quality=80)
    return buffer.getvalue()


def _photo(size) -> bytes:
    image = Image.new("RGB", size, (200, 180, 160))
    image.paste((30, 40, 90), (size[0] // 4, size[1] // 4, 3 * size[0] // 4, 3 * size[1] // 4))
    return encode(image, "JPEG", quality=85)


BAD_INPUTS = {
    "empty file": (lambda: b"", "empty"),
    "text named .png": (lambda: b"just some notes, not a picture", "not an image file"),
    "HTML named .png": (lambda: b"<!doctype html><html><body>hi</body></html>", "not an image file"),
    "SVG with script": (
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="9"/></svg>',
        "not an image file",
    ),
    "truncated JPEG": (lambda: _photo((300, 200))[:600], "damaged or truncated"),
    "truncated PNG": (lambda: encode(Image.effect_noise((200, 200), 60))[:900], "damaged or truncated"),
    "truncated HEIC": (lambda: _heic(Image.effect_noise((300, 200), 60))[:9000], "damaged or truncated"),
    "PNG with a broken checksum": (_png_with_broken_checksum, "damaged or truncated"),
    "decompression bomb": (lambda: encode(Image.new("1", (40_000, 40_000))), "pixels"),
    "zip named .png": (lambda: b"PK\x03\x04\x14\x00\x00\x00" + b"\x00" * 200, "not an image file"),
}
GOOD_ODD_INPUTS = {
    "4000 x 3000 photo": lambda: _photo((4000, 3000)),
    "4000 x 12 strip": lambda: _photo((4000, 12)),
    "one pixel": lambda: encode(Image.new("RGB", (1, 1), "black")),
    "animated GIF": lambda: encode(
        Image.new("L", (40, 40), 90), "GIF", save_all=True, append_images=[Image.new("L", (40, 40))]
    ),
    "multi-page TIFF": _multipage_tiff,
    "CMYK JPEG": lambda: encode(Image.new("CMYK", (60, 60), (0, 0, 0, 0)), "JPEG"),
    "16-bit PNG": lambda: encode(Image.new("I;16", (60, 60), 40000), "PNG"),
    "float TIFF": lambda: encode(Image.new("F", (60, 60), 0.25), "TIFF"),
    "palette with transparency": _palette_with_transparency,
}


@pytest.mark.parametrize("kind", list(BAD_INPUTS))
def test_a_bad_file_gets_one_clear_line(kind):
    make, reason = BAD_INPUTS[kind]
    with pytest.raises(ImageError, match=reason) as error:
        prepare_bytes(make())
    assert "\n" not in str(error.value) and len(str(error.value)) < 200


@pytest.mark.parametrize("kind", list(GOOD_ODD_INPUTS))
def test_an_odd_but_valid_picture_gets_a_result(kind):
    prepared = prepare_bytes(GOOD_ODD_INPUTS[kind]())
    assert prepared.pixels.shape == (28, 28) and prepared.pixels.dtype == np.float32
    assert 0 <= prepared.pixels.min() and prepared.pixels.max() <= 255


@pytest.mark.parametrize("format", ["HEIF", "AVIF"])
def test_a_phones_heic_or_avif_photo_stored_sideways_comes_out_as_the_jpeg_of_it_does(format):
    # Trousers photographed upright; the phone keeps the pixels turned and says so in EXIF.
    upright = Image.new("RGB", (300, 400), (215, 205, 190))
    upright.paste((40, 50, 110), (90, 40, 210, 360))
    upright.paste((215, 205, 190), (140, 200, 160, 360))  # the gap between the legs
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90 degrees clockwise to show"
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    phone = prepare_bytes(encode(stored, format, exif=exif.tobytes(), quality=90)).pixels
    jpeg = prepare_bytes(encode(upright, "JPEG", quality=90)).pixels
    rows, cols = np.nonzero(phone)
    assert np.ptp(rows) > np.ptp(cols)  # standing, as photographed
    assert np.abs(phone - jpeg).mean() < 6  # what the model sees, give or take compression


def test_a_12_megapixel_jpeg_is_decoded_at_a_fraction_of_its_size():
    image = open_image(_photo((4000, 3000)))  # decoding all of it would take 4x the time for the same 28 x 28
    assert 640 <= min(image.size) and max(image.size) <= 1000


def test_a_busy_picture_where_no_garment_stands_out_is_classified_whole_instead_of_refused():
    from fmnist.segment import WHOLE

    busy = np.random.default_rng(0).integers(0, 256, (200, 200, 3)).astype(np.uint8)  # all texture, no garment
    prepared = prepare_bytes(encode(Image.fromarray(busy)))
    assert not prepared.blank and prepared.method == WHOLE
    assert prepared.pixels.max() > 0
    assert "whole picture was used" in what_was_done(prepared)  # and the page says so


@needs_real_data
def test_a_white_garment_on_a_white_sheet_is_found_not_refused(dataset):
    # A catalogue shot of a pale garment, at most 30 grey levels from its background: it used
    # to be "nothing to classify".
    from tools.standins import pale_on_white

    scores = []
    for index in range(8):
        original = dataset.test.images[index]
        prepared = prepare_bytes(encode(pale_on_white(original, np.random.default_rng(index))))
        assert not prepared.blank
        scores.append(similarity(prepared.pixels, original))
    assert np.median(scores) > 0.7


def test_a_photo_of_a_blank_wall_with_a_cameras_noise_is_still_nothing_to_classify():
    wall = 200 + np.random.default_rng(0).normal(0, 2, (300, 400, 3))
    assert prepare_bytes(encode(Image.fromarray(np.clip(wall, 0, 255).astype(np.uint8)), "JPEG")).blank


def catalogue_shot(pixels: np.ndarray, shadow: bool) -> Image.Image:
    """A dataset garment as a shop's render shows it: blue on white, floating over its soft grey shadow."""
    ink = np.asarray(Image.fromarray(pixels).resize((280, 280), Image.Resampling.BILINEAR), np.float32)[..., None] / 255
    canvas = np.full((400, 400, 3), 255.0, np.float32)
    if shadow:
        layer = np.zeros((400, 400), np.float32)
        cv2.ellipse(layer, (200, 340), (120, 12), 0, 0, 360, 1.0, -1)
        canvas -= cv2.GaussianBlur(layer, (0, 0), 6)[..., None] * 70  # grey, at most 70 levels below white
    canvas[40:320, 60:340] = canvas[40:320, 60:340] * (1 - ink) + np.array([30, 90, 220]) * ink
    return Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8))


@needs_real_data
def test_a_sneakers_soft_shadow_in_a_catalogue_shot_is_left_out(dataset):
    # Kept, the shadow made the shoe a taller shape under it (a shop's sneakers came out "Bag").
    for sneaker in dataset.test.images[dataset.test.labels == 7][:3]:
        plain = prepare_bytes(encode(catalogue_shot(sneaker, shadow=False), "JPEG", quality=90))
        shadowed = prepare_bytes(encode(catalogue_shot(sneaker, shadow=True), "JPEG", quality=90))
        assert similarity(shadowed.pixels, plain.pixels) > 0.95
        assert similarity(shadowed.pixels, sneaker) > 0.8
        assert "shadow" in what_was_done(shadowed) and "shadow" not in what_was_done(plain)  # the page says so


def pale_garment_on_dark_planks() -> bytes:
    rng = np.random.default_rng(0)
    planks = np.repeat(rng.integers(30, 130, (1, 10, 3)), 30, axis=1)  # dark planks of several tones
    photo = np.clip(planks + rng.normal(0, 12, (300, 300, 3)), 0, 255).astype(np.uint8)
    cv2.rectangle(photo, (90, 60), (210, 240), (235, 235, 235), thickness=-1)
    return encode(Image.fromarray(photo), "JPEG", quality=90)


def test_a_garment_on_a_busy_floor_fades_softly_into_the_black_as_the_datasets_do():
    # Its edge pixels are part floor, which would draw a rim round the garment's negative.
    prepared = prepare_bytes(pale_garment_on_dark_planks())
    assert prepared.method == GRABCUT
    garment = prepared.pixels > 0
    middle = cv2.erode(garment.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    edge = garment & ~middle  # the outermost ring of the 28 x 28 garment
    assert prepared.pixels[edge].mean() < 0.6 * prepared.pixels[middle].mean()  # 0.27; 0.89 unfaded
    assert "edge was faded" in what_was_done(prepared)  # and the page says so
