import numpy as np

from fmnist.evaluate import accuracy, confusion_matrix, misclassified, predict_proba


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
