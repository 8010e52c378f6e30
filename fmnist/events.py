"""What a training run reports as it goes, and how it ends: the engine's vocabulary
(fmnist/train.py trains; fmnist/runs.py, fmnist/cluster.py, the CLI and the pages listen).

No TensorFlow here: the web server's pages read runs' progress and results through these
without importing it, so the Train page draws while TensorFlow still loads in the background.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import keras
    import numpy as np

    from fmnist.config import RunConfig

FINISHED, STOPPED, FAILED = "finished", "stopped", "failed"


@dataclass(frozen=True)
class Progress:
    epoch: int  # 1-based, the epoch under way
    epochs: int
    step: int  # steps done in this epoch
    steps: int  # steps in one epoch
    loss: float  # running mean over this epoch so far
    accuracy: float
    seconds_left: float = float("nan")  # from the pace since the first step: compiling is not counted

    @property
    def fraction(self) -> float:
        """How much of the whole run is done, in [0, 1]."""
        return min(1.0, ((self.epoch - 1) + self.step / self.steps) / self.epochs)

    @property
    def percent(self) -> int:
        """Whole percents done, rounded up: once a step is done, the bar has moved."""
        return math.ceil(self.fraction * 100 - 1e-9)  # less a hair of float error: 0.07 is 7, not 8


@dataclass
class TrainResult:
    model: keras.Model | None  # None only when the run failed before a model was built
    status: str  # FINISHED, STOPPED or FAILED
    history: dict[str, list[float]] = field(default_factory=dict)  # loss, accuracy, val_loss, val_accuracy per epoch
    seconds: float = 0.0
    test_accuracy: float | None = None
    error: str | None = None  # one line, when FAILED

    @property
    def params(self) -> int:
        return self.model.count_params() if self.model is not None else 0

    @property
    def epochs_done(self) -> int:
        return len(self.history.get("loss", []))


class TrainingListener:
    """What a front end hears from a run. Every method is optional; all run on the training thread."""

    def on_run_start(self, config: RunConfig, steps_per_epoch: int) -> None: ...

    def on_model(self, model: keras.Model) -> None:
        """The model as built, before its first step; it is the one trained, so its weights
        can be read as they change."""

    def on_progress(self, progress: Progress) -> None: ...

    def on_epoch_end(self, epoch: int, metrics: dict[str, float], class_accuracy: list[float]) -> None:
        """epoch is 1-based; metrics has loss, accuracy, val_loss, val_accuracy (val = the test
        split, as in the lesson); class_accuracy is the test accuracy of each of the ten classes."""

    def on_checkpoint(self, model: keras.Model) -> None:
        """The model after each epoch (a stopped one's too), for a listener that keeps it."""

    def on_run_end(self, result: TrainResult) -> None: ...

    # Instead of on_model and on_checkpoint, from a run trained in another process
    # (fmnist/cluster.py): what a listener here needs of the model, without the model.

    def on_start_units(self, units: np.ndarray) -> None:
        """(units, 28, 28) float32: an MLP's first layer as built, before its first step."""

    def on_model_file(self, data: bytes) -> None:
        """The model after each epoch, as the bytes of a .keras file."""
