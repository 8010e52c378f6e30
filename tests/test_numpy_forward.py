import numpy as np
import pytest

from fmnist.config import ACTIVATIONS, RunConfig
from fmnist.evaluate import predict_proba
from fmnist.model import build_model
from fmnist.numpy_forward import dense_forward

PICTURES = np.random.default_rng(0).integers(0, 256, (3, 28, 28)).astype(np.float32)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_numpy_gives_the_same_probabilities_as_keras_for_every_activation(activation):
    model = build_model(RunConfig(activation=activation, hidden_units=(64, 32), dropout=0.2))
    assert np.allclose(dense_forward(model)(PICTURES), model(PICTURES, training=False).numpy(), atol=1e-6)


def test_numpy_handles_no_normalisation_and_the_augmented_mlps_extra_layers():
    for config in (RunConfig(normalize=False, activation="sigmoid"), RunConfig(augment=True)):
        model = build_model(config)
        assert np.allclose(dense_forward(model)(PICTURES), model(PICTURES, training=False).numpy(), atol=1e-6)


def test_a_cnn_is_left_to_keras_and_one_picture_still_gets_its_answer():
    model = build_model(RunConfig.lesson_cnn())
    assert dense_forward(model) is None
    one = predict_proba(model, PICTURES[0])
    assert one.shape == (1, 10) and np.allclose(one, model(PICTURES[:1], training=False).numpy(), atol=1e-6)


def test_one_picture_through_predict_proba_matches_the_batch_answer():
    model = build_model(RunConfig())
    batch = predict_proba(model, PICTURES)
    assert np.allclose(predict_proba(model, PICTURES[1]), batch[1], atol=1e-6)
