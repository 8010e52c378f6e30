"""The code shown for the current settings builds the app's model with plain Keras."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from fmnist.config import PRESETS, RunConfig
from fmnist.keras_code import DATA, keras_code, model_code
from fmnist.model import build_model


def _trainable(model) -> list[tuple]:
    """The layers that compute something, as (kind, size): what 'the same architecture' means."""
    shown = []
    for layer in model.layers:
        kind = type(layer).__name__
        if kind in ("Dense", "Conv2D"):
            shown.append((kind, getattr(layer, "units", None) or layer.filters, layer.count_params()))
        elif kind in ("MaxPooling2D", "Flatten", "Dropout") or kind.startswith("Random"):
            shown.append((kind, getattr(layer, "rate", None), 0))
    return shown


@pytest.mark.parametrize("name", list(PRESETS))
def test_the_printed_code_builds_the_same_layers_and_parameter_count_as_the_app(name):
    config = PRESETS[name]
    namespace = {}
    exec("import tensorflow as tf\n" + model_code(config), namespace)
    printed, app = namespace["model"], build_model(config)
    assert printed.count_params() == app.count_params() == config.params
    assert _trainable(printed) == _trainable(app)


def test_the_code_changes_as_the_settings_change():
    code = keras_code(RunConfig(hidden_units=(64, 64), activation="tanh", learning_rate=0.01, batch_size=128, epochs=3))
    assert code.count("tf.keras.layers.Dense(64, activation=tf.nn.tanh)") == 2
    assert "tf.keras.optimizers.Adam(learning_rate=0.01)" in code
    assert "BATCH_SIZE = 128" in code and "epochs=3" in code
    assert "def normalize" in code and "def normalize" not in keras_code(RunConfig(normalize=False))


def test_the_whole_script_trains_and_evaluates_with_plain_keras(dataset, capsys):
    # Everything but tfds.load runs as printed (tfds cannot download here): the same splits
    # come from the app's own copy of Fashion-MNIST, as tfds gives them, (28, 28, 1) uint8.
    before, after = keras_code(RunConfig(epochs=1)).split(DATA)
    namespace = {}
    exec(before, namespace)
    namespace.update(
        train_dataset=tf.data.Dataset.from_tensor_slices((dataset.train.images[..., None], dataset.train.labels)),
        test_dataset=tf.data.Dataset.from_tensor_slices((dataset.test.images[..., None], dataset.test.labels)),
        num_train_examples=len(dataset.train),
        num_test_examples=len(dataset.test),
    )
    exec(after, namespace)
    assert isinstance(namespace["model"], keras.Model)
    assert 0.5 < namespace["test_accuracy"] <= 1 and math.isfinite(namespace["test_loss"])
    assert "Accuracy on test dataset:" in capsys.readouterr().out
    assert np.isfinite(namespace["model"].count_params())
