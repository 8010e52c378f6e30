import keras
import numpy as np

from fmnist.config import RunConfig
from fmnist.model import build_model
from fmnist.xla_fit import fit_in_xla


class Steps(keras.callbacks.Callback):
    """Records what fit_in_xla tells callbacks, in order."""

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
    fit_in_xla(model, x, y, batch_size=32, epochs=2, callbacks=[steps])
    assert int(model.optimizer.iterations) == 2 * 3  # one optimizer step per batch
    batch_ends = [event[1] for event in steps.events if event[0] == "batch_end"]
    assert batch_ends.count(2) == 2  # each epoch reports its last step, the short one
    assert all(np.isfinite(event[2]) for event in steps.events if event[0] == "batch_end")


def test_callbacks_hear_the_events_fit_sends_in_fits_order():
    x, y = pictures(64)
    steps = Steps()
    fit_in_xla(build_model(RunConfig(hidden_units=(8,))), x, y, batch_size=32, epochs=2, callbacks=[steps])
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
    fit_in_xla(model, x, y, batch_size=32, epochs=3, callbacks=[steps])
    assert int(model.optimizer.iterations) < 500  # not even one whole epoch
    kinds = [event[0] for event in steps.events]
    assert kinds.count("epoch_end") == 1 and kinds[-1] == "train_end"
