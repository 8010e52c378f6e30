"""Inside a model: units as pictures, what they add to each class, one picture's walk."""

import numpy as np
import pytest

from fmnist import inside
from fmnist.config import RunConfig
from fmnist.evaluate import predict_proba
from fmnist.train import TrainingListener, train


class _KeepsStart(TrainingListener):
    def on_model(self, model):
        self.start = inside.unit_pictures(model)


@pytest.fixture(scope="module")
def lesson(dataset):
    """The lesson's model after 2 epochs, with its first layer as it was before the first step."""
    listener = _KeepsStart()
    result = train(RunConfig(epochs=2), dataset, listener)
    return result.model, listener.start


@pytest.fixture(scope="module")
def cnn(dataset):
    return train(RunConfig.lesson_cnn(epochs=1), dataset).model


def test_each_first_layer_unit_is_the_28_by_28_picture_of_its_784_weights(lesson):
    model, _ = lesson
    pictures = inside.unit_pictures(model)
    kernel = np.asarray(model.get_layer("hidden_1").kernel)
    assert pictures.shape == (128, 28, 28)
    assert np.array_equal(pictures[5], kernel[:, 5].reshape(28, 28))  # pixel (row, column) where it is


def _neighbours_alike(pictures: np.ndarray) -> float:
    """Correlation of each weight with the one to its right: ~0 for noise, high for shapes."""
    return float(np.corrcoef(pictures[:, :, 1:].ravel(), pictures[:, :, :-1].ravel())[0, 1])


def test_what_training_changed_is_smooth_shapes_where_the_weights_themselves_are_mostly_noise(lesson):
    # Why the units view takes the starting weights away: measured 0.76 against 0.17 (start: 0.00).
    model, start = lesson
    trained = inside.unit_pictures(model)
    assert abs(_neighbours_alike(start)) < 0.05
    assert _neighbours_alike(trained - start) > 0.5 > 2 * _neighbours_alike(trained)


def test_the_starting_weights_are_what_the_run_started_from_not_the_trained_ones(lesson):
    model, start = lesson
    assert start.shape == (128, 28, 28)
    assert not np.allclose(start, inside.unit_pictures(model))


def test_with_one_hidden_layer_a_units_share_of_a_class_is_its_activation_times_its_weight(lesson, dataset):
    model, _ = lesson
    importance = inside.unit_importance(model, dataset.test.images, dataset.test.labels)
    assert importance.shape == (10, 128)
    trousers = dataset.test.images[dataset.test.labels == 1].astype(np.float32) / 255
    hidden = model.get_layer("hidden_1")
    activations = np.maximum(trousers.reshape(len(trousers), -1) @ np.asarray(hidden.kernel) + hidden.bias, 0)
    expected = (activations * np.asarray(model.get_layer("probabilities").kernel)[:, 1]).mean(axis=0)
    np.testing.assert_allclose(importance[1], expected, rtol=1e-3, atol=1e-4)


def test_the_units_most_important_for_a_class_fire_more_on_that_class(lesson, dataset):
    model, _ = lesson
    images, labels = dataset.test.images, dataset.test.labels
    importance = inside.unit_importance(model, images, labels)
    top = np.argsort(-importance[1])[:5]  # for Trouser
    walks = [inside.walk(model, picture).stages[0].values for picture in images[:200]]
    fired = np.stack(walks)[:, top].mean(axis=1)
    assert fired[labels[:200] == 1].mean() > fired[labels[:200] != 1].mean()


def test_a_walk_passes_every_layer_and_ends_in_the_models_own_probabilities(lesson, dataset):
    model, _ = lesson
    picture = dataset.test.images[3]
    journey = inside.walk(model, picture)
    assert [(stage.name, stage.kind, stage.values.shape) for stage in journey.stages] == [
        ("hidden_1", "dense", (128,)),
        ("probabilities", "output", (10,)),
    ]
    np.testing.assert_allclose(journey.probabilities, predict_proba(model, picture)[0], atol=1e-5)


def test_the_strongest_paths_run_from_the_picture_through_the_hidden_units_to_the_answer(dataset):
    model = train(RunConfig(hidden_units=(32, 16), epochs=1), dataset).model
    journey = inside.walk(model, dataset.test.images[0], width=4)
    into_first = [path for path in journey.paths if path.from_stage == -1]
    into_answer = [path for path in journey.paths if path.from_stage == 1]
    assert 1 <= len(into_first) <= 4 and all(path.strength > 0 for path in journey.paths)
    assert {path.target for path in into_answer} == {journey.answer}
    # Every unit a path leaves from is one a path arrives at: the paths connect.
    arrived = {(path.from_stage + 1, path.target) for path in journey.paths}
    assert all((path.from_stage, path.source) in arrived for path in journey.paths if path.from_stage >= 0)


def test_a_cnn_walk_shows_each_convolutions_and_poolings_maps(cnn, dataset):
    journey = inside.walk(cnn, dataset.test.images[0])
    assert [(stage.kind, stage.values.shape) for stage in journey.stages] == [
        ("conv", (26, 26, 64)),
        ("pool", (13, 13, 64)),
        ("conv", (11, 11, 64)),
        ("pool", (5, 5, 64)),
        ("output", (10,)),
    ]
    assert journey.paths == []
    assert not inside.reads_pixels(cnn)


def test_a_convolutions_filters_come_one_per_filter_and_map_it_reads(cnn):
    first, second = inside.convolutions(cnn)
    assert inside.filters(first).shape == (64, 1, 3, 3)
    assert inside.filters(second).shape == (64, 64, 3, 3)


def test_what_a_unit_saw_is_zero_where_the_picture_is_black(lesson, dataset):
    model, _ = lesson
    picture = dataset.test.images[0]
    seen = inside.what_the_units_saw(model, picture, [7, 2])
    assert seen.shape == (2, 28, 28)
    assert np.all(seen[:, picture == 0] == 0) and np.abs(seen).max() > 0
