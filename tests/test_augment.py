import numpy as np

from fmnist.augment import random_moves


def garments(n: int) -> np.ndarray:
    """n copies of a bright bar on the left half of a black picture."""
    images = np.zeros((n, 28, 28), np.float32)
    images[:, 6:22, 4:12] = 200.0
    return images


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def test_random_moves_mirror_about_half_the_pictures_and_keep_the_rest_near_where_they_were():
    moved = random_moves(garments(400), None, rng(1))
    left, right = moved[:, :, :14].sum(axis=(1, 2)), moved[:, :, 14:].sum(axis=(1, 2))
    mirrored = np.mean(right > left)
    assert 0.4 < mirrored < 0.6
    assert moved.min() >= 0 and moved.max() <= 200.0 + 1e-3  # resampled, never brighter than the picture
    # a turn of at most ~7 degrees, a shift of ~1 pixel and a zoom of 6% keep most of the ink
    ink = moved.sum(axis=(1, 2)) / (16 * 8 * 200.0)
    assert ink.min() > 0.8 and ink.max() < 1.2


def test_tops_come_out_wider_or_narrower_at_random_and_shoes_keep_their_proportions():
    def widths(label: int) -> np.ndarray:
        images = np.zeros((400, 28, 28), np.float32)
        images[:, 4:24, 8:20] = 200.0  # 12 wide, in the middle
        moved = random_moves(images, np.full(400, label), rng(6))
        return (moved > 100).sum(axis=2).max(axis=1)  # widest row

    tops, shoes = widths(2), widths(7)  # Pullover, Sneaker
    assert np.ptp(tops) >= 1.5 * np.ptp(shoes)  # up to 20% either way, beyond the zoom's 6%
    assert abs(np.median(tops) - 12) <= 1  # as often narrower as wider


def test_the_same_seed_moves_the_same_way_and_another_seed_does_not():
    images = garments(8)
    first, again = random_moves(images, None, rng(7)), random_moves(images, None, rng(7))
    other = random_moves(images, None, rng(8))
    assert np.array_equal(first, again)
    assert not np.allclose(first, other)


def test_dataset_pictures_stay_uint8_and_keep_their_ink_where_they_were_moved():
    images = garments(64).astype(np.uint8)
    moved = random_moves(images, np.zeros(64, int), rng(2))
    assert moved.dtype == np.uint8 and moved.shape == images.shape
    assert 0.8 < moved.sum() / images.sum() < 1.2
