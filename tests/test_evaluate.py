import numpy as np
import pytest

from fmnist.evaluate import (
    accuracy,
    class_quality,
    confusion_matrix,
    misclassified,
    predict_proba,
    suspicious_labels,
    top_confusions,
)


def test_probabilities_match_keras_predict_for_one_image_and_for_many(trained, dataset):
    # model.predict is the slow reference path; ours must give the same numbers.
    images = dataset.test.images[:300].astype(np.float32)
    reference = trained.model.predict(images, verbose=0)
    np.testing.assert_allclose(predict_proba(trained.model, images), reference, atol=1e-5)
    np.testing.assert_allclose(predict_proba(trained.model, images[0])[0], reference[0], atol=1e-5)


def test_probabilities_accept_uint8_pixels_as_the_dataset_stores_them(trained, dataset):
    as_uint8 = predict_proba(trained.model, dataset.test.images[:5])
    as_float = predict_proba(trained.model, dataset.test.images[:5].astype(np.float32))
    np.testing.assert_allclose(as_uint8, as_float)


def test_an_empty_batch_gives_an_empty_answer(trained):
    assert predict_proba(trained.model, np.zeros((0, 28, 28))).shape == (0, 10)


def test_the_trained_model_beats_chance_by_far(trained, dataset):
    assert accuracy(predict_proba(trained.model, dataset.test.images), dataset.test.labels) > 0.6


def test_the_confusion_matrix_puts_true_classes_in_rows():
    labels = np.array([0, 0, 1, 2, 2, 2])
    predicted = np.array([0, 1, 1, 2, 2, 0])
    matrix = confusion_matrix(labels, predicted)
    assert matrix.shape == (10, 10) and matrix.sum() == 6
    assert matrix[0, 1] == 1  # one T-shirt taken for a Trouser
    assert matrix[2, 0] == 1 and matrix[2, 2] == 2
    assert np.trace(matrix) == 4


def test_mistakes_come_most_confident_first():
    probabilities = np.array(
        [
            [0.9, 0.1] + [0] * 8,  # right
            [0.2, 0.8] + [0] * 8,  # wrong, 0.8 sure
            [0.05, 0.95] + [0] * 8,  # wrong, 0.95 sure
            [0.4, 0.6] + [0] * 8,  # wrong, 0.6 sure
        ]
    )
    assert list(misclassified(probabilities, np.array([0, 0, 0, 0]))) == [2, 1, 3]


def probabilities_for(predicted, confidence=0.9):
    """One-hot-ish rows: the given class at `confidence`, the rest shared out."""
    rows = np.full((len(predicted), 10), (1 - confidence) / 9)
    rows[np.arange(len(predicted)), predicted] = confidence
    return rows


def test_recall_is_each_classs_accuracy_and_precision_how_often_its_answers_are_right():
    labels = np.array([6, 6, 6, 6, 0, 0])
    predicted = np.array([6, 6, 0, 0, 0, 6])  # two Shirts called T-shirt, one T-shirt called Shirt
    quality = class_quality(probabilities_for(predicted), labels)
    assert quality["recall"][6] == 0.5 and quality["recall"][0] == 0.5
    assert quality["precision"][6] == pytest.approx(2 / 3) and quality["precision"][0] == pytest.approx(1 / 3)
    assert list(quality["count"][[0, 6]]) == [2, 4]
    assert np.isnan(quality["recall"][3])  # no Dresses in this test set


def test_the_commonest_confusions_come_first_with_their_counts():
    labels = np.array([6, 6, 6, 0, 2, 2])
    predicted = np.array([0, 0, 6, 6, 4, 2])
    assert top_confusions(probabilities_for(predicted), labels) == [(6, 0, 2), (0, 6, 1), (2, 4, 1)]


def test_suspicious_labels_are_confident_mistakes_only():
    labels = np.array([0, 0, 0, 0])
    probabilities = np.vstack(
        [
            probabilities_for([0], 0.999),
            probabilities_for([3], 0.995),
            probabilities_for([3], 0.6),
            probabilities_for([5], 0.999),
        ]
    )
    assert list(suspicious_labels(probabilities, labels, 0.99)) == [3, 1]
