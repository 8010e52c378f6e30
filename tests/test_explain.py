"""The answer for one picture and why: the guard, saliency, nearest pictures, mirror averaging."""

import numpy as np
import pytest

from fmnist.explain import (
    CONFIDENT,
    UNSURE,
    Answer,
    Neighbours,
    answer,
    check_mirror,
    saliency,
)


def test_a_best_class_under_half_is_called_unsure():
    assert Answer(np.array([0.45, 0.35] + [0.025] * 8, np.float32), mirrored=False).verdict == UNSURE
    assert Answer(np.array([0.9, 0.1] + [0.0] * 8, np.float32), mirrored=False).verdict == CONFIDENT


def test_the_answer_ranks_classes_and_adds_up_to_one(trained, dataset):
    result = answer(trained.model, dataset.test.images[0].astype(np.float32))
    assert result.probabilities.shape == (10,) and result.probabilities.sum() == pytest.approx(1, abs=1e-4)
    assert result.probabilities[result.ranked[0]] == result.probabilities.max()


def test_mirror_averaging_is_the_mean_of_the_picture_and_its_mirror_image(trained, dataset):
    picture = dataset.test.images[0].astype(np.float32)
    mirrored = answer(trained.model, picture, mirror=True).probabilities
    expected = (
        answer(trained.model, picture).probabilities + answer(trained.model, picture[:, ::-1]).probabilities
    ) / 2
    np.testing.assert_allclose(mirrored, expected, atol=1e-5)


def test_the_mirror_check_reports_both_test_accuracies(trained, dataset):
    check = check_mirror(trained.model, dataset.test.images, dataset.test.labels)
    assert 0 < check.mirrored < 1 and 0 < check.plain < 1
    assert check.helps == (check.mirrored > check.plain)


def test_mirror_averaging_helps_a_model_that_never_saw_a_shoe_pointing_right(trained, dataset):
    check = check_mirror(trained.model, dataset.test.images, dataset.test.labels)
    assert check.helps  # the lesson's MLP: half the pictures face the wrong way for it


def test_saliency_lights_up_the_garment_and_leaves_the_black_background_dark(trained, dataset):
    picture = dataset.test.images[0].astype(np.float32)
    label = int(answer(trained.model, picture).ranked[0])
    pushed = saliency(trained.model, picture, label)
    assert pushed.shape == (28, 28) and np.abs(pushed).max() == pytest.approx(1)
    assert np.all(pushed[picture == 0] == 0)  # black pixels carry no brightness to push with


def test_the_nearest_training_picture_to_a_training_picture_is_itself(dataset):
    index = Neighbours(dataset.train.images, dataset.train.labels)
    nearest, distances = index.nearest(dataset.train.images[42].astype(np.float32), k=5)
    assert nearest[0] == 42 and distances[0] == 0
    assert list(distances) == sorted(distances) and len(nearest) == 5


def test_nearest_pictures_of_a_test_garment_mostly_share_its_label(dataset):
    index = Neighbours(dataset.train.images, dataset.train.labels)
    agree = [
        np.mean(dataset.train.labels[index.nearest(dataset.test.images[i], k=6)[0]] == dataset.test.labels[i])
        for i in range(50)
    ]
    assert np.mean(agree) > 0.6
