import numpy as np
import pytest
from PIL import Image

from fmnist.drawing import fill_enclosed
from fmnist.preprocess import to_model_input, what_was_done
from fmnist.upright import askew, mirror_overlap, slant, turn
from tools.pictures import dark_on_white

T_SHIRT, TROUSER, PULLOVER, DRESS, BAG = 0, 1, 2, 3, 8


def mask_of(pixels: np.ndarray) -> np.ndarray:
    big = np.asarray(Image.fromarray(pixels).resize((112, 112), Image.Resampling.BILINEAR))
    return fill_enclosed(big > 20)


def lying_at(pixels: np.ndarray, degrees: float) -> Image.Image:
    """A dataset garment as a photo of it lying across a white sheet, turned clockwise as seen."""
    photo = dark_on_white(pixels, margin=120).convert("L")
    return photo.rotate(-degrees, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255).convert("RGBA")


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


@pytest.mark.parametrize("degrees", [-35, -20, 25, 40])
@pytest.mark.parametrize("label", [TROUSER, DRESS])
def test_trousers_and_dresses_lying_at_a_slant_are_stood_upright_as_the_dataset_shows_them(dataset, label, degrees):
    original = dataset.test.images[np.flatnonzero(dataset.test.labels == label)[0]]
    prepared = to_model_input(lying_at(original, degrees))
    assert prepared.tilt == pytest.approx(degrees, abs=6)  # turned back counter-clockwise
    assert similarity(prepared.pixels, original.astype(np.float32)) > 0.8
    assert "turned" in what_was_done(prepared) and "upright" in what_was_done(prepared)


def test_a_garment_lying_square_is_not_turned_and_nothing_is_said_about_it(dataset):
    prepared = to_model_input(dark_on_white(dataset.test.images[0]).convert("RGBA"))
    assert prepared.tilt == 0.0
    assert "turned" not in what_was_done(prepared)


@pytest.mark.parametrize("label", range(10))
def test_the_datasets_own_garments_are_left_as_they_are_shoes_keeping_their_slant(dataset, label):
    # Ankle boots lean about 30 degrees, sandals about 12: turning them "upright" would make
    # them look like no shoe in the dataset. Tops and bags are their own mirror images already.
    pictures = dataset.train.images[dataset.train.labels == label][:150]
    turned = [(slant(mask) or askew(mask)) != 0 for mask in map(mask_of, pictures)]
    assert np.mean(turned) <= 0.03


@pytest.mark.parametrize("degrees", [-25, -12, 15, 28])
@pytest.mark.parametrize("label", [T_SHIRT, PULLOVER, BAG])
def test_tops_and_bags_lying_askew_are_squared_up_by_their_symmetry(dataset, label, degrees):
    # They have no long axis to go by, but every one is its own mirror image when upright.
    pictures = np.flatnonzero(dataset.test.labels == label)[:3]
    for index in pictures:
        original = dataset.test.images[index]
        prepared = to_model_input(lying_at(original, degrees))
        assert prepared.tilt == pytest.approx(degrees, abs=4)
        assert similarity(prepared.pixels, original.astype(np.float32)) > 0.7  # turned twice: a little blurred
        assert "turned" in what_was_done(prepared)


def test_a_top_lying_square_is_already_its_own_mirror_image(dataset):
    top = mask_of(dataset.test.images[np.flatnonzero(dataset.test.labels == T_SHIRT)[0]])
    assert mirror_overlap(top) > mirror_overlap(turn(top, 20, 0)) + 0.1
    assert askew(top) == 0.0
