"""Maps of the test pictures: PCA, t-SNE, and how well a map keeps the classes apart."""

import numpy as np

from fmnist import maps
from tests.conftest import needs_real_data


def _clusters(seed=0):
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(10), 30)
    features = rng.normal(size=(300, 20)).astype(np.float32) * 0.1
    features[np.arange(300), labels] += 5  # each class far along its own direction
    return features, labels


def test_classes_kept_apart_agree_with_their_nearest_neighbour_and_shuffled_ones_do_not():
    features, labels = _clusters()
    assert maps.neighbours_agree(features[:, :10], labels) == 1.0
    assert maps.neighbours_agree(np.random.default_rng(1).normal(size=(300, 2)), labels) < 0.3


def test_pca_keeps_the_two_directions_of_largest_spread_and_never_flips_between_calls():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(500, 5)).astype(np.float32) * np.array([10, 3, 0.1, 0.1, 0.1], np.float32)
    points = maps.pca(features)
    assert points.shape == (500, 2)
    np.testing.assert_allclose(
        np.abs(points[:, 0]), np.abs(features[:, 0] - features[:, 0].mean()), rtol=0.05, atol=0.3
    )
    np.testing.assert_array_equal(points, maps.pca(features))


def test_tsne_maps_a_sample_and_keeps_clusters_together():
    features, labels = _clusters()
    points = maps.tsne(features)
    assert points.shape == (300, 2)
    assert maps.neighbours_agree(points, labels) > 0.9
    assert len(maps.sample(10_000)) == maps.TSNE_MOST and np.array_equal(maps.sample(10_000), maps.sample(10_000))


def test_the_hidden_features_are_what_the_output_layer_reads(trained, dataset):
    features = maps.hidden_features(trained.model, dataset.test.images[:50])
    assert features.shape == (50, 128) and features.min() >= 0  # relu activations


@needs_real_data
def test_the_models_map_keeps_the_classes_further_apart_than_the_raw_pixels(trained, dataset):
    images, labels = dataset.test.images, dataset.test.labels
    raw = maps.neighbours_agree(maps.pca(maps.pixel_features(images)), labels)
    learned = maps.neighbours_agree(maps.pca(maps.hidden_features(trained.model, images)), labels)
    assert learned > raw + 0.05
