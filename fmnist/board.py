"""TensorBoard logs for a kept run: each epoch's train and test loss and accuracy as scalars,
and the run's settings as HParams, so `tensorboard --logdir <runs folder>` shows and compares
the same runs as the app. No Streamlit here."""

from __future__ import annotations

import logging
from pathlib import Path

from fmnist.config import RunConfig
from fmnist.events import TrainingListener, TrainResult

_LOG = logging.getLogger(__name__)
FOLDER = "tensorboard"  # inside a run's folder


def hparams(config: RunConfig) -> dict[str, str | int | float | bool]:
    """The settings as TensorBoard's HParams takes them: plain values, hidden units as '128-128'."""
    values = config.to_dict()
    values["hidden_units"] = "-".join(str(units) for units in config.hidden_units)
    return values


class BoardLogger(TrainingListener):
    """Writes a run's TensorBoard events into `folder`; a failure to write is logged, never raised."""

    def __init__(self, folder: Path, config: RunConfig, name: str):
        self.folder, self.config, self.name = folder, config, name
        self.writer = None

    def on_run_start(self, config: RunConfig, steps_per_epoch: int) -> None:
        try:
            import tensorflow as tf
            from tensorboard.plugins.hparams import api as hp

            self.writer = tf.summary.create_file_writer(str(self.folder))
            with self.writer.as_default():
                hp.hparams(hparams(self.config), trial_id=self.name)
        except Exception as error:  # TensorBoard missing, a full disk: the run trains on
            _LOG.warning("no TensorBoard log for %s: %s", self.name, error)
            self.writer = None

    def on_epoch_end(self, epoch: int, metrics: dict[str, float], class_accuracy: list[float]) -> None:
        if self.writer is None:
            return
        import tensorflow as tf

        with self.writer.as_default():
            for key, value in metrics.items():  # loss, accuracy, val_loss, val_accuracy
                tf.summary.scalar(f"epoch_{key}", value, step=epoch)
        self.writer.flush()

    def on_run_end(self, result: TrainResult) -> None:
        if self.writer is not None:
            self.writer.close()
