"""A training run in the background: a record the engine fills in and a page reads.

The Train page starts a run and returns at once; the run's thread writes progress,
per-epoch metrics and the result into its `Run`, and the page redraws from it on a timer.
Plain attribute writes of whole values keep this safe to read from another thread.
No Streamlit here: the same record works from a script or a test.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from fmnist.config import RunConfig
from fmnist.data import Dataset
from fmnist.train import Progress, TrainingListener, TrainResult, train

TRAINING = "training"


@dataclass
class Run:
    id: int
    config: RunConfig
    status: str = TRAINING  # then fmnist.train.FINISHED, STOPPED or FAILED
    progress: Progress | None = None
    history: dict[str, list[float]] = field(default_factory=dict)
    result: TrainResult | None = None
    started_at: float = field(default_factory=time.time)
    stop_event: threading.Event = field(default_factory=threading.Event, repr=False)
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def running(self) -> bool:
        return self.status == TRAINING

    @property
    def model(self):
        return self.result.model if self.result else None

    @property
    def name(self) -> str:
        return f"#{self.id} {self.config.describe()}"

    def stop(self) -> None:
        self.stop_event.set()

    def wait(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)


class _Recorder(TrainingListener):
    def __init__(self, run: Run):
        self.run = run

    def on_progress(self, progress: Progress) -> None:
        self.run.progress = progress

    def on_epoch_end(self, epoch: int, metrics: dict[str, float]) -> None:
        # A new dict each time: a reader never sees one list a value longer than another.
        history = {k: list(v) for k, v in self.run.history.items()}
        for key, value in metrics.items():
            history.setdefault(key, []).append(value)
        self.run.history = history

    def on_run_end(self, result: TrainResult) -> None:
        self.run.result = result
        self.run.history = result.history or self.run.history
        self.run.status = result.status


def start_run(run_id: int, config: RunConfig, data: Dataset) -> Run:
    """Start training in a daemon thread and return its record at once."""
    run = Run(id=run_id, config=config)
    run.thread = threading.Thread(
        target=train,
        args=(config, data, _Recorder(run), run.stop_event),
        name=f"fmnist-run-{run_id}",
        daemon=True,
    )
    run.thread.start()
    return run
