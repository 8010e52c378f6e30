import numpy as np
import pytest

from fmnist.config import OPTIMIZERS, RunConfig
from fmnist.model import MIXED, ModelError, build_model, in_float32, load_model


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


def test_the_cnns_layers_in_words_name_the_filters_and_flattened_size_the_built_model_has():
    config = RunConfig.lesson_cnn()
    model = build_model(config)
    convolutions = [layer.filters for layer in model.layers if type(layer).__name__ == "Conv2D"]
    summary = config.layer_summary()
    assert [int(step.split()[1]) for step in summary if step.startswith("conv ")] == convolutions
    assert f"flatten {model.get_layer('flatten').output.shape[-1]:,}" in summary


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


def _rewritten(source, target, change) -> None:
    """A copy of the .keras zip `source` at `target`, each member's bytes passed through change(name, data)."""
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for member in old.infolist():
            new.writestr(member.filename, change(member.filename, old.read(member.filename)))


@pytest.mark.parametrize("member", ["model.weights.h5", "config.json"])
def test_a_small_file_that_would_unpack_to_hundreds_of_megabytes_is_refused_unopened(tmp_path, member):
    import time
    import tracemalloc

    build_model(RunConfig(hidden_units=(16,))).save(tmp_path / "m.keras")

    def padded(name: str, data: bytes) -> bytes:
        return data + b" " * (200 * 2**20) if name == member else data  # deflates to a few hundred KB

    _rewritten(tmp_path / "m.keras", tmp_path / "bomb.keras", padded)
    assert (tmp_path / "bomb.keras").stat().st_size < 2 * 2**20
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ModelError, match=r"would unpack to 200 MB.*not opened") as error:
        load_model(tmp_path / "bomb.keras")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert time.perf_counter() - started < 5 and peak < 20 * 2**20  # refused before anything was unpacked
    assert "\n" not in str(error.value)


def test_a_file_that_is_not_a_zip_is_called_what_it_is_not_missing(tmp_path):
    (tmp_path / "text.keras").write_text("hello")
    with pytest.raises(ModelError, match="text.keras is not a Keras model file") as error:
        load_model(tmp_path / "text.keras")
    assert "not found" not in str(error.value).lower()


def test_a_model_with_code_in_it_is_refused_without_suggesting_to_let_code_run(tmp_path):
    import keras

    with_code = keras.Sequential([keras.Input((28, 28)), keras.layers.Lambda(lambda x: x * 2), keras.layers.Flatten()])
    with_code.add(keras.layers.Dense(10, activation="softmax"))
    with_code.save(tmp_path / "code.keras")
    with pytest.raises(ModelError, match="contains code") as error:
        load_model(tmp_path / "code.keras")
    assert "safe_mode" not in str(error.value) and "\n" not in str(error.value)


def test_an_unknown_activation_gets_one_plain_line(tmp_path):
    build_model(RunConfig(hidden_units=(16,))).save(tmp_path / "m.keras")
    _rewritten(
        tmp_path / "m.keras",
        tmp_path / "odd.keras",
        lambda name, data: data.replace(b'"relu"', b'"wiggle"') if name == "config.json" else data,
    )
    with pytest.raises(ModelError, match="cannot rebuild") as error:
        load_model(tmp_path / "odd.keras")
    assert "deserialized" not in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_every_optimizer_offered_trains_and_keeps_the_copies_the_memory_figure_counts(optimizer):
    config = RunConfig(hidden_units=(8,), optimizer=optimizer)
    model = build_model(config)
    model.train_on_batch(np.zeros((4, 28, 28), np.float32), np.arange(4))
    per_weight = [
        v for v in model.optimizer.variables if tuple(v.shape) in {tuple(w.shape) for w in model.trainable_weights}
    ]
    assert len(per_weight) == OPTIMIZERS[optimizer] * len(model.trainable_weights)
    assert type(model.optimizer).__name__.lower() == optimizer
    assert config.training_bytes == (1 + OPTIMIZERS[optimizer]) * 4 * model.count_params()


def test_a_cnn_computing_in_bfloat16_answers_as_its_float32_copy_does():
    # The engine trains the CNN in bfloat16 where the CPU can (fmnist.model.training_dtype);
    # what is kept is a float32 model with the same weights, which answers the same.
    config = RunConfig.lesson_cnn()
    mixed = build_model(config, dtype=MIXED)
    assert mixed.get_layer("conv_2").compute_dtype == "bfloat16"
    plain = in_float32(mixed, config)
    assert {layer.dtype_policy.name for layer in plain.layers} == {"float32"}
    pixels = np.random.default_rng(0).uniform(0, 255, (64, 28, 28)).astype(np.float32)
    np.testing.assert_allclose(plain.predict_on_batch(pixels), mixed.predict_on_batch(pixels), atol=0.02)
    assert in_float32(plain, config) is plain
