import numpy as np
import pytest

from fmnist.config import RunConfig
from fmnist.model import ModelError, build_model, load_model


def layer_kinds(model):
    return [type(layer).__name__ for layer in model.layers]


def test_the_lessons_model_is_flatten_dense_128_relu_dense_10_softmax():
    model = build_model(RunConfig())
    assert layer_kinds(model) == ["InputLayer", "Rescaling", "Flatten", "Dense", "Dense"]
    hidden, output = model.layers[3], model.layers[4]
    assert (hidden.units, hidden.activation.__name__) == (128, "relu")
    assert (output.units, output.activation.__name__) == (10, "softmax")
    assert model.count_params() == RunConfig().params == 101_770
    assert model.loss == "sparse_categorical_crossentropy"


def test_no_normalisation_leaves_the_rescaling_layer_out():
    assert "Rescaling" not in layer_kinds(build_model(RunConfig(normalize=False)))


def test_extra_layers_and_dropout_appear_in_order():
    model = build_model(RunConfig(hidden_units=(256, 64), dropout=0.2, activation="tanh"))
    assert layer_kinds(model)[2:] == ["Flatten", "Dense", "Dropout", "Dense", "Dropout", "Dense"]
    assert model.count_params() == RunConfig(hidden_units=(256, 64)).params


def test_the_cnn_has_two_convolutions_and_the_parameter_count_the_config_promises():
    model = build_model(RunConfig.lesson_cnn())
    assert layer_kinds(model).count("Conv2D") == 2
    assert model.count_params() == RunConfig.lesson_cnn().params


def test_probabilities_come_out_summing_to_one_for_raw_pixels():
    model = build_model(RunConfig())
    out = np.asarray(model(np.random.default_rng(0).uniform(0, 255, (3, 28, 28)).astype("float32")))
    assert out.shape == (3, 10)
    np.testing.assert_allclose(out.sum(axis=1), 1, atol=1e-5)


def test_a_saved_model_loads_back_with_the_same_predictions(tmp_path):
    model = build_model(RunConfig(hidden_units=(16,)))
    model.save(tmp_path / "m.keras")
    loaded = load_model(tmp_path / "m.keras")
    x = np.full((1, 28, 28), 100, np.float32)
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(model(x)), atol=1e-6)


def test_a_broken_model_file_gets_a_one_line_message(tmp_path):
    (tmp_path / "broken.keras").write_bytes(b"not a zip file")
    with pytest.raises(ModelError, match="not a Keras model"):
        load_model(tmp_path / "broken.keras")


def test_a_model_of_the_wrong_shape_is_refused(tmp_path):
    import keras

    other = keras.Sequential([keras.Input((32, 32)), keras.layers.Flatten(), keras.layers.Dense(5)])
    other.save(tmp_path / "other.keras")
    with pytest.raises(ModelError, match="needs a \\(28, 28\\) -> \\(10,\\)"):
        load_model(tmp_path / "other.keras")
