import numpy as np
import tensorflow as tf

from fmnist.augment import random_moves


def garments(n: int) -> tf.Tensor:
    """n copies of a bright bar on the left half of a black picture."""
    images = np.zeros((n, 28, 28), np.float32)
    images[:, 6:22, 4:12] = 200.0
    return tf.constant(images)


def test_random_moves_mirror_about_half_the_pictures_and_keep_the_rest_near_where_they_were():
    moved = random_moves(garments(400), tf.constant([0, 1])).numpy()
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
        moved = random_moves(tf.constant(images), tf.constant([5, 6]), tf.fill([400], label)).numpy()
        return (moved > 100).sum(axis=2).max(axis=1)  # widest row

    tops, shoes = widths(2), widths(7)  # Pullover, Sneaker
    assert np.ptp(tops) >= 1.5 * np.ptp(shoes)  # up to 20% either way, beyond the zoom's 6%
    assert abs(np.median(tops) - 12) <= 1  # as often narrower as wider


def test_the_same_seed_moves_the_same_way_and_another_seed_does_not():
    images = garments(8)
    first, again = random_moves(images, tf.constant([3, 7])), random_moves(images, tf.constant([3, 7]))
    other = random_moves(images, tf.constant([3, 8]))
    assert np.array_equal(first.numpy(), again.numpy())
    assert not np.allclose(first.numpy(), other.numpy())
