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
