"""A training run in the background: a record the engine fills in and a page reads.

The Train page starts a run and returns at once; the run's thread writes progress, curve
points, per-epoch metrics and the result into its `Run`, and the page redraws from it on a
timer. Writers replace whole values (a new list, a new dict) rather than changing them in
place, so a reader on another thread never sees half an update. No Streamlit here.

Two rules protect a server that many people share:
- at most `MAX_RUNNING` runs train at once (env FMNIST_MAX_RUNNING); `start_run` raises
  `TooManyRuns` beyond that;
- a run whose page stops asking after it (the tab was closed) for `ABANDONED_AFTER_S`
  seconds stops itself.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from fmnist import settings
from fmnist.config import RunConfig
from fmnist.data import Dataset
from fmnist.train import FINISHED, Progress, TrainingListener, TrainResult, train

TRAINING = "training"
MAX_RUNNING = settings.MAX_RUNNING
ABANDONED_AFTER_S = settings.ABANDONED_AFTER_S

_running: set[int] = set()  # ids (id()) of the Run objects training now, server-wide
_running_lock = threading.Lock()


class TooManyRuns(Exception):
    """The server is training as many runs as it allows; the message says so for people."""


@dataclass
class Run:
    id: int
    config: RunConfig | None  # None for a model loaded from a file
    status: str = TRAINING  # then fmnist.train.FINISHED, STOPPED or FAILED
    progress: Progress | None = None
    history: dict[str, list[float]] = field(default_factory=dict)  # per epoch: loss, accuracy, val_*
    class_accuracy: list[list[float]] = field(default_factory=list)  # per epoch: ten test accuracies
    live: list[tuple[float, float, float]] = field(default_factory=list)  # (epochs done, loss, accuracy)
    result: TrainResult | None = None
    source: str | None = None  # where a loaded model came from
    stop_reason: str | None = None
    last_seen: float = field(default_factory=time.monotonic)
    stop_event: threading.Event = field(default_factory=threading.Event, repr=False)
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def running(self) -> bool:
        return self.status == TRAINING

    @property
    def model(self):
        return self.result.model if self.result else None

    @property
    def test_accuracy(self) -> float | None:
        return self.result.test_accuracy if self.result else None

    @property
    def label(self) -> str:
        """What the run is, e.g. 'MLP 128 relu, 5 epochs' or 'loaded from mine.keras'."""
        return self.config.describe() if self.config else f"loaded from {self.source}"

    @property
    def name(self) -> str:
        return f"#{self.id} {self.label}"

    def stop(self, reason: str = "stopped by you") -> None:
        if self.running and not self.stop_event.is_set():
            self.stop_reason = reason
        self.stop_event.set()

    def seen(self) -> None:
        """The page is still showing this run: keep it going."""
        self.last_seen = time.monotonic()

    def wait(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)


class _Recorder(TrainingListener):
    def __init__(self, run: Run):
        self.run = run

    def on_progress(self, progress: Progress) -> None:
        run = self.run
        run.progress = progress
        if progress.step:
            point = (progress.epoch - 1 + progress.step / progress.steps, progress.loss, progress.accuracy)
            run.live = [*run.live, point]
        if time.monotonic() - run.last_seen > ABANDONED_AFTER_S:
            run.stop(f"stopped as its page was closed for over {ABANDONED_AFTER_S:.0f} s")

    def on_epoch_end(self, epoch: int, metrics: dict[str, float], class_accuracy: list[float]) -> None:
        run = self.run
        history = {k: list(v) for k, v in run.history.items()}
        for key, value in metrics.items():
            history.setdefault(key, []).append(value)
        run.history = history
        run.class_accuracy = [*run.class_accuracy, class_accuracy]

    def on_run_end(self, result: TrainResult) -> None:
        self.run.result = result
        self.run.history = result.history or self.run.history
        self.run.status = result.status


def start_run(run_id: int, config: RunConfig, data: Dataset) -> Run:
    """Start training in a daemon thread and return its record at once."""
    run = Run(id=run_id, config=config)
    with _running_lock:
        if len(_running) >= MAX_RUNNING:
            raise TooManyRuns(
                f"this server is already training {len(_running)} models, its limit; "
                "try again when one finishes (or stop one of yours)"
            )
        _running.add(id(run))

    def target() -> None:
        try:
            train(config, data, _Recorder(run), run.stop_event)
        finally:
            with _running_lock:
                _running.discard(id(run))

    run.thread = threading.Thread(target=target, name=f"fmnist-run-{run_id}", daemon=True)
    run.thread.start()
    return run


def loaded_run(run_id: int, model, source: str, data: Dataset) -> Run:
    """A finished run for a model loaded from a file, measured on this dataset's test split."""
    from fmnist.evaluate import accuracy, predict_proba

    test_accuracy = accuracy(predict_proba(model, data.test.images), data.test.labels)
    result = TrainResult(model=model, status=FINISHED, test_accuracy=test_accuracy)
    return Run(id=run_id, config=None, status=FINISHED, result=result, source=source)
