"""Garments are told from their backgrounds: plain, see-through and textured."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from fmnist.segment import GRABCUT, PLAIN, TRANSPARENCY, separate
from tools.standins import BACKGROUNDS, photo_of


def rgba(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGBA"))


def test_a_garment_on_a_plain_background_is_found_by_its_colour():
    image = Image.new("RGB", (120, 100), (250, 250, 245))
    image.paste((240, 220, 60), (30, 20, 90, 80))  # a yellow garment: almost white in grey, not in colour
    found = separate(rgba(image))
    assert found.method == PLAIN
    assert found.mask[50, 60] and not found.mask[5, 5]
    assert found.mask.sum() == 60 * 60


def test_a_product_shot_touching_the_edge_still_counts_as_a_plain_background():
    image = Image.new("RGB", (100, 100), "white")
    image.paste((40, 40, 40), (30, 0, 70, 70))  # the garment runs off the top edge
    assert separate(rgba(image)).method == PLAIN


def test_a_cut_out_png_is_separated_by_its_transparency():
    image = Image.new("RGBA", (80, 80), (255, 255, 255, 0))
    image.paste((255, 255, 255, 255), (20, 20, 60, 60))  # white on see-through: colour alone could not tell
    found = separate(rgba(image))
    assert found.method == TRANSPARENCY and found.mask.sum() == 40 * 40


@pytest.mark.parametrize("background", ["bed", "floor", "rug"])
def test_a_garment_on_a_textured_background_is_cut_out_by_grabcut(dataset, background):
    overlaps = []
    for index in range(6):
        photo = photo_of(dataset.test.images[index], np.random.default_rng(index), background)
        found = separate(rgba(photo.image))
        assert found.method == GRABCUT
        assert 0.03 < found.mask.mean() < 0.7  # a garment, not nothing and not the whole floor
        overlaps.append(found.mask.mean())
    assert len(set(overlaps)) > 1


def test_specks_of_noise_are_not_garment():
    image = Image.new("RGB", (200, 200), "white")
    image.paste((0, 0, 0), (50, 50, 150, 150))
    image.paste((0, 0, 0), (5, 190, 7, 192))  # a speck of dust in the corner
    found = separate(rgba(image))
    assert not found.mask[191, 6] and found.mask[100, 100]


def test_stand_ins_cover_every_background_and_are_photo_sized(dataset):
    for background in BACKGROUNDS:
        photo = photo_of(dataset.test.images[0], np.random.default_rng(0), background, size=(400, 300))
        assert photo.image.size == (400, 300) and photo.image.mode == "RGB"


def test_a_white_t_shirt_on_a_catalogues_white_is_found_whole_not_only_its_print():
    image = Image.new("RGB", (200, 200), "white")
    draw = ImageDraw.Draw(image)
    outline = [
        (60, 30),
        (140, 30),
        (175, 60),
        (155, 80),
        (145, 70),
        (145, 175),
        (55, 175),
        (55, 70),
        (45, 80),
        (25, 60),
    ]
    draw.polygon(outline, fill=(243, 243, 243))  # 12 grey levels from the backdrop
    draw.rectangle((75, 70, 125, 120), fill=(40, 90, 200))  # its print
    tee = np.asarray(image.convert("L")) < 250
    assert separate(rgba(image), photo=True).mask[tee].mean() > 0.95
    assert separate(rgba(image)).mask[tee].mean() < 0.5  # not known to be a photo: a drawing's tolerance
