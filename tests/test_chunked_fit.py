import keras
import numpy as np
import pytest

from fmnist.augment import random_moves
from fmnist.chunked_fit import fit_in_chunks
from fmnist.config import RunConfig
from fmnist.model import build_model


class Steps(keras.callbacks.Callback):
    """Records what fit_in_chunks tells callbacks, in order."""

    def __init__(self, stop_after_first_report: bool = False):
        super().__init__()
        self.events, self.stop_after_first_report = [], stop_after_first_report

    def on_train_begin(self, logs=None):
        self.events.append(("train_begin",))

    def on_epoch_begin(self, epoch, logs=None):
        self.events.append(("epoch_begin", epoch))

    def on_train_batch_end(self, batch, logs=None):
        self.events.append(("batch_end", batch, float(logs["loss"])))
        if self.stop_after_first_report:
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(("epoch_end", epoch, set(logs)))

    def on_train_end(self, logs=None):
        self.events.append(("train_end",))


def pictures(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n).astype(np.uint8)


def test_every_picture_is_trained_on_each_epoch_the_short_last_batch_included():
    x, y = pictures(70)  # two batches of 32 and one of 6
    model = build_model(RunConfig(hidden_units=(8,)))
    steps = Steps()
    fit_in_chunks(model, x, y, batch_size=32, epochs=2, callbacks=[steps])
    assert int(model.optimizer.iterations) == 2 * 3  # one optimizer step per batch
    batch_ends = [event[1] for event in steps.events if event[0] == "batch_end"]
    assert batch_ends.count(2) == 2  # each epoch reports its last step, the short one
    assert all(np.isfinite(event[2]) for event in steps.events if event[0] == "batch_end")


def test_callbacks_hear_the_events_fit_sends_in_fits_order():
    x, y = pictures(64)
    steps = Steps()
    fit_in_chunks(build_model(RunConfig(hidden_units=(8,))), x, y, batch_size=32, epochs=2, callbacks=[steps])
    kinds = [event[0] for event in steps.events]
    assert kinds[0] == "train_begin" and kinds[-1] == "train_end"
    assert [event[1] for event in steps.events if event[0] == "epoch_begin"] == [0, 1]
    epoch_ends = [event for event in steps.events if event[0] == "epoch_end"]
    assert [event[1] for event in epoch_ends] == [0, 1]
    assert all({"loss", "accuracy"} <= event[2] for event in epoch_ends)  # what fit's logs carry


def test_stop_training_set_by_a_callback_ends_the_run_early_and_cleanly():
    x, y = pictures(32 * 500)
    model = build_model(RunConfig(hidden_units=(8,)))
    steps = Steps(stop_after_first_report=True)
    fit_in_chunks(model, x, y, batch_size=32, epochs=3, callbacks=[steps])
    assert int(model.optimizer.iterations) < 500  # not even one whole epoch
    kinds = [event[0] for event in steps.events]
    assert kinds.count("epoch_end") == 1 and kinds[-1] == "train_end"


def test_a_cnn_trains_in_chunks_without_xla_every_batch_once_per_epoch():
    x, y = pictures(32 * 6 + 5)
    model = build_model(RunConfig.lesson_cnn())
    before = [w.copy() for w in model.get_weights()]
    steps = Steps()
    fit_in_chunks(model, x, y, batch_size=32, epochs=2, callbacks=[steps], jit_compile=False)
    assert int(model.optimizer.iterations) == 2 * 7
    assert all(not np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))


def test_a_model_with_random_layers_trains_through_augment_and_keeps_its_layers():
    x, y = pictures(32 * 4)
    model = build_model(RunConfig.lesson_cnn(augment=True))
    layer_names = [layer.name for layer in model.layers]
    seen = []

    def augment(images, labels, rng):  # records what it is given, moves nothing
        seen.append((images.shape, labels.shape))
        return images

    before = model.predict(x[:8].astype(np.float32), verbose=0)
    fit_in_chunks(model, x, y, batch_size=32, epochs=1, callbacks=[], jit_compile=False, augment=augment)
    # the epoch's pictures, before the model, with their labels (tops are stretched, shoes are not)
    assert seen == [((32 * 4, 28, 28), (32 * 4,))]
    assert [layer.name for layer in model.layers] == layer_names  # the saved model still says it was augmented
    assert "mirror" in layer_names
    assert not np.allclose(before, model.predict(x[:8].astype(np.float32), verbose=0))  # the model itself learned


def test_a_run_whose_xla_compile_fails_trains_on_without_xla(monkeypatch):
    import fmnist.chunked_fit as chunked

    made = chunked._chunk_function

    def no_xla(model, train_step, jit_compile):
        if not jit_compile:
            return made(model, train_step, jit_compile)

        def broken(*args):
            raise RuntimeError("XLA cannot compile this")

        return broken

    monkeypatch.setattr(chunked, "_chunk_function", no_xla)
    x, y = pictures(32 * 40)
    model = build_model(RunConfig(hidden_units=(8,)))
    fit_in_chunks(model, x, y, batch_size=32, epochs=2, callbacks=[Steps()])
    assert int(model.optimizer.iterations) == 2 * 40


def test_a_cnn_batch_computed_in_two_halves_gives_the_whole_batchs_answers():
    import fmnist.chunked_fit as chunked

    model = build_model(RunConfig.lesson_cnn())
    x, _ = pictures(7)  # an odd batch: halves of 3 and 4
    whole = model(x.astype(np.float32), training=False)
    in_halves = chunked._InHalves(model, model)(x.astype(np.float32), training=False)
    np.testing.assert_allclose(np.asarray(in_halves), np.asarray(whole), atol=1e-6)
    assert len(chunked._InHalves(model, model).trainable_variables) == len(model.trainable_variables)


@pytest.mark.parametrize("dtype", ["float32", "mixed_bfloat16"])
def test_a_cnn_trains_on_an_epochs_last_batch_of_one_picture(dtype):
    x, y = pictures(32 * 2 + 1)
    model = build_model(RunConfig.lesson_cnn(augment=True), dtype=dtype)
    fit_in_chunks(model, x, y, batch_size=32, epochs=2, callbacks=[], jit_compile=False, augment=random_moves)
    assert int(model.optimizer.iterations) == 2 * 3


def test_dropout_while_training_keeps_seven_units_in_ten_scaled_up_as_keras_does_and_none_when_predicting():
    import fmnist.chunked_fit as chunked

    dropout = chunked._QuickDropout(keras.layers.Dropout(0.3), seed=0)
    units = np.ones((64, 1600), np.float32)
    first, second = np.asarray(dropout(units, training=True)), np.asarray(dropout(units, training=True))
    assert abs(np.mean(first > 0) - 0.7) < 0.01
    np.testing.assert_allclose(first[first > 0], 1 / 0.7, rtol=1e-6)
    assert np.mean((first > 0) == (second > 0)) < 0.7  # a fresh mask each step
    np.testing.assert_array_equal(np.asarray(dropout(units, training=False)), units)


def test_a_trained_cnn_keeps_keras_own_dropout_layer():
    x, y = pictures(32 * 3)
    model = build_model(RunConfig.lesson_cnn())
    fit_in_chunks(model, x, y, batch_size=32, epochs=1, callbacks=[], jit_compile=False)
    assert [type(layer).__name__ for layer in model.layers if "dropout" in layer.name] == ["Dropout"]
