import numpy as np

from fmnist.tiles import SCALE, enlarge


def test_enlarging_keeps_hard_pixel_edges():
    pixels = np.zeros((28, 28), np.uint8)
    pixels[0, 0] = 255
    big = enlarge(pixels)
    assert big.shape == (28 * SCALE, 28 * SCALE)
    assert big[:SCALE, :SCALE].min() == 255 and big[SCALE, SCALE] == 0  # no blur between pixels


def test_a_float_image_in_0_1_is_enlarged_as_bytes():
    assert enlarge(np.full((28, 28), 0.5, np.float32)).max() == 127


def test_the_saliency_shown_is_regions_not_a_checkerboard_of_single_pixels(trained, dataset):
    from fmnist.explain import answer, saliency
    from fmnist.tiles import saliency_overlay, smoothed

    picture = dataset.test.images[0].astype(np.float32)
    raw = saliency(trained.model, picture, int(answer(trained.model, picture).ranked[0]))

    def sign_flips(values: np.ndarray) -> int:  # neighbours left-right and up-down that disagree
        signs = np.sign(np.where(np.abs(values) > 0.1, values, 0))
        return int((signs[:, 1:] * signs[:, :-1] < 0).sum() + (signs[1:] * signs[:-1] < 0).sum())

    assert sign_flips(smoothed(raw)) < sign_flips(raw) / 2
    assert saliency_overlay(picture / 255, raw).size == (224, 224)


def test_weight_pictures_are_red_where_positive_blue_where_negative_and_white_at_zero_in_a_grid():
    from fmnist.tiles import mosaic

    pictures = np.zeros((3, 2, 2), np.float32)
    pictures[0, 0, 0], pictures[0, 1, 1] = 1.0, -1.0
    image = np.asarray(mosaic(pictures, columns=2, scale=3, gap=1))
    assert image.shape == (2 * (2 * 3 + 1) + 1, 2 * (2 * 3 + 1) + 1, 3)  # two rows of two cells
    red, blue, zero = image[1, 1], image[1 + 3, 1 + 3], image[1, 1 + 3]
    assert red[0] > 150 > red[2] and blue[2] > 150 > blue[0] and zero.min() > 240
    assert image[0].min() == 255  # the gap is white
