"""A training run in the background: a record the engine fills in, a page reads, and a
workspace on disk keeps (fmnist/store.py).

The Train page starts a run and returns at once; the run's thread writes progress, curve
points, per-epoch metrics and the result into its `Run`, and the page redraws from it on a
timer. Writers replace whole values (a new list, a new dict) rather than changing them in
place, so a reader on another thread never sees half an update. With a workspace, the run's
record is written when it starts, after every epoch (with the model) and when it ends, so
a reload, another tab or a restarted server finds it. No Streamlit here.

Runs wait their turn in one queue, first come first served: at most `MAX_RUNNING` runs
train at once (env FMNIST_MAX_RUNNING), and each workspace trains one run at a time, so a
learner who presses Train again, or queues every experiment of the lesson, has the runs
train one after the other while other learners' runs still get their turn. `start_run`
raises `TooManyRuns` only when `MAX_QUEUED` runs already wait.

A run whose page stops asking after it (the tab was closed) for `ABANDONED_AFTER_S`
seconds stops itself, and its queued runs leave the queue when their turn comes.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from fmnist import settings
from fmnist.config import RunConfig
from fmnist.data import Dataset
from fmnist.events import FINISHED, STOPPED, Progress, TrainingListener, TrainResult
from fmnist.store import INTERRUPTED, QUEUED, TRAINING, RunRecord, Workspace, write_atomically

MAX_RUNNING = settings.MAX_RUNNING
ON_CLUSTER = settings.ON_CLUSTER  # train in Dask worker processes (fmnist/cluster.py), else in threads here
ABANDONED_AFTER_S = settings.ABANDONED_AFTER_S
MAX_QUEUED = 50  # runs waiting, server-wide
MODELS_KEPT = 8  # stored models held in memory, server-wide, most recently used first

_LOG = logging.getLogger(__name__)
_live: dict[tuple[str | None, int], Run] = {}  # (workspace, id) -> the runs training or queued in this process
_queue: list[Run] = []  # the queued ones, in their order; both under _live_lock
_live_lock = threading.Lock()
_models: OrderedDict[tuple[str, int], object] = OrderedDict()  # (model file, mtime) -> model
_models_lock = threading.Lock()


class TooManyRuns(Exception):
    """The server's queue is full; the message says so for people."""


@dataclass(eq=False)  # a run is itself: two runs are never equal
class Run:
    id: int
    config: RunConfig | None  # None for a model loaded from a file
    status: str = TRAINING  # or QUEUED first; then fmnist.train.FINISHED, STOPPED or FAILED; INTERRUPTED when read back
    progress: Progress | None = None
    built: bool = False  # its model is built and its first steps are on their way (TensorFlow is loaded)
    history: dict[str, list[float]] = field(default_factory=dict)  # per epoch: loss, accuracy, val_*
    class_accuracy: list[list[float]] = field(default_factory=list)  # per epoch: ten test accuracies
    live: list[tuple[float, float, float]] = field(default_factory=list)  # (epochs done, loss, accuracy)
    result: TrainResult | None = None
    source: str | None = None  # where a loaded model came from
    stop_reason: str | None = None
    workspace: Workspace | None = field(default=None, repr=False)  # where the run is kept, if anywhere
    store_error: str | None = None  # why the run could not be written to its workspace
    last_seen: float = field(default_factory=time.monotonic)
    stop_event: threading.Event = field(default_factory=threading.Event, repr=False)
    training_model: object = field(default=None, repr=False)  # the model being trained, weights changing
    start_units: object = field(default=None, repr=False)  # (units, 28, 28): an MLP's first layer at its start
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def running(self) -> bool:
        return self.status == TRAINING

    @property
    def queued(self) -> bool:
        return self.status == QUEUED

    @property
    def under_way(self) -> bool:
        """Training, or waiting its turn to."""
        return self.running or self.queued

    @property
    def place(self) -> int | None:
        """1 for the next run to start, server-wide; None when not waiting."""
        with _live_lock:
            return next((place for place, run in enumerate(_queue, 1) if run is self), None)

    @property
    def model(self):
        """The trained model: in memory for a run of this process, else read from its workspace."""
        if self.result is not None and self.result.model is not None:
            return self.result.model
        path = self._model_path()
        return None if path is None else _stored_model(path)

    @property
    def has_model(self) -> bool:
        """Whether `model` has one to give, without reading it (no TensorFlow): in memory, or
        its file stored. A damaged file still counts; `model` then gives None."""
        if self.result is not None and self.result.model is not None:
            return True
        path = self._model_path()
        return path is not None and path.exists()

    def model_file(self) -> bytes | None:
        """The stored model's .keras file as it is on disk, for a download: no model loaded."""
        path = self._model_path()
        try:
            return None if path is None else path.read_bytes()
        except OSError:
            return None

    def _model_path(self):
        """Where the run's finished model is kept; None while it trains or when it has no workspace."""
        if self.workspace is None or self.running or self.queued:
            return None
        return self.workspace.model_path(self.id)

    @property
    def model_so_far(self):
        """The model as it is now: while the run trains, the one being trained (its weights
        change under the reader; for a CNN trained in bfloat16, its float32 copy, as of the
        last epoch); after, `model`."""
        if not self.running:
            return self.model
        if self.training_model is None and self.workspace is not None:  # trained by a worker process:
            return _stored_model(self.workspace.model_path(self.id))  # its last epoch's model, if any
        return self.training_model

    def starting_units(self):
        """(units, 28, 28) float32: an MLP's first-layer weights before its first step, or None
        (a CNN, a loaded model, a run trained before these were kept)."""
        if self.start_units is None and self.workspace is not None and self.config is not None:
            self.start_units = self.workspace.load_start(self.id)
        return self.start_units

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

    def wait_for_first_step(self, timeout: float) -> None:
        """Until the run reports progress past its first step, ends, or `timeout` seconds pass
        (a queued run waits its turn: that is not waited for)."""
        deadline = time.monotonic() + timeout
        while self.running and not (self.progress and self.progress.step) and time.monotonic() < deadline:
            time.sleep(0.02)

    def wait(self, timeout: float | None = None) -> None:
        """Until the run ends (or `timeout` seconds pass), its time in the queue included."""
        deadline = math.inf if timeout is None else time.monotonic() + timeout
        # Until its thread has started: its turn comes (status TRAINING) a moment before that.
        while self.under_way and self.thread is not None and self.thread.ident is None:
            if time.monotonic() >= deadline:
                return
            time.sleep(0.02)
        if self.thread is not None and self.thread.ident is not None:
            self.thread.join(None if timeout is None else max(0.0, deadline - time.monotonic()))

    # --- kept on disk --------------------------------------------------------------------

    def record(self) -> RunRecord:
        result = self.result
        return RunRecord(
            id=self.id,
            config=self.config.to_dict() if self.config else None,
            status=self.status,
            source=self.source,
            stop_reason=self.stop_reason,
            error=result.error if result else None,
            history=self.history,
            class_accuracy=self.class_accuracy,
            live=[list(point) for point in self.live],
            test_accuracy=self.test_accuracy if result else _last(self.history, "val_accuracy"),
            seconds=result.seconds if result else 0.0,
            has_model=self.workspace is not None and self.workspace.model_path(self.id).exists(),
        )

    def persist(self, model=None, model_file: bytes | None = None) -> None:
        """Write the run (and `model`, or a model's .keras bytes, when given) to its workspace; a
        failure is noted, not raised: training goes on."""
        if self.workspace is None:
            return
        try:
            if model is not None:
                self.workspace.save_model(self.id, model)
            if model_file is not None:
                write_atomically(self.workspace.model_path(self.id), model_file)
            self.workspace.save(self.record())
            self.store_error = None
        except OSError as error:
            self.store_error = f"this run cannot be saved: {error.strerror or error}"
            _LOG.warning("run %s of %s: %s", self.id, self.workspace.name, self.store_error)

    @classmethod
    def from_record(cls, record: RunRecord, workspace: Workspace) -> Run:
        """A run read back from its workspace: finished, stopped, failed or interrupted."""
        config = RunConfig.from_dict(record.config) if record.config else None
        test_accuracy = record.test_accuracy
        if record.status == INTERRUPTED:
            test_accuracy = _last(record.history, "val_accuracy")
        result = TrainResult(
            model=None,
            status=record.status,
            history=record.history,
            seconds=record.seconds,
            test_accuracy=test_accuracy,
            error=record.error,
        )
        stop_reason = record.stop_reason
        if record.status == INTERRUPTED and not (stop_reason or "").startswith("interrupted"):
            stop_reason = "interrupted when the server stopped"
        return cls(
            id=record.id,
            config=config,
            status=record.status,
            history=record.history,
            class_accuracy=record.class_accuracy,
            live=[tuple(point) for point in record.live],
            result=result,
            source=record.source,
            stop_reason=stop_reason,
            workspace=workspace,
        )


def _last(history: dict[str, list[float]], key: str) -> float | None:
    values = history.get(key) or []
    return values[-1] if values else None


def _stored_model(path):
    """A stored run's model, loaded once and shared by every session (the newest few kept)."""
    from fmnist.model import ModelError, load_model

    key = _model_key(path)
    if key is None:
        return None
    with _models_lock:
        if key in _models:
            _models.move_to_end(key)
            return _models[key]
    try:
        model = load_model(path, name=f"run {path.parent.name}'s model")
    except ModelError as error:
        _LOG.warning("%s", error)
        return None
    _remember(path, model)
    return model


def _remember(path, model) -> None:
    """Keep a model as the one in its file now, for `_stored_model`."""
    key = _model_key(path)
    if key is None:
        return
    with _models_lock:
        _models[key] = model
        while len(_models) > MODELS_KEPT:
            _models.popitem(last=False)


def _model_key(path) -> tuple[str, int] | None:
    """(file, modification time): a model saved again is a new entry. None when there is no file."""
    try:
        return str(path), path.stat().st_mtime_ns
    except OSError:
        return None


class _Recorder(TrainingListener):
    """Writes what the engine reports into the run (and its workspace); `also` hears it too."""

    def __init__(self, run: Run, also: TrainingListener | None = None, abandon: bool = True):
        self.run, self.abandon = run, abandon
        self.also = _Both(_board(run), also) if also else _board(run)

    def on_run_start(self, config: RunConfig, steps_per_epoch: int) -> None:
        self.run.built = True
        self.also.on_run_start(config, steps_per_epoch)

    def on_model(self, model) -> None:
        from fmnist.inside import reads_pixels, unit_pictures

        self.run.training_model = model
        if reads_pixels(model):
            self.on_start_units(unit_pictures(model))
        self.also.on_model(model)

    def on_start_units(self, units) -> None:
        self.run.start_units = units
        if self.run.workspace is not None:
            try:
                self.run.workspace.save_start(self.run.id, units)
            except OSError as error:  # the view of what training changed is lost, not the run
                _LOG.warning("run %s: starting weights not kept: %s", self.run.id, error)

    def on_progress(self, progress: Progress) -> None:
        run = self.run
        run.progress = progress
        if progress.step:
            point = (progress.epoch - 1 + progress.step / progress.steps, progress.loss, progress.accuracy)
            run.live = [*run.live, point]
        self.also.on_progress(progress)
        if self.abandon and time.monotonic() - run.last_seen > ABANDONED_AFTER_S:
            run.stop(f"stopped as its page was closed for over {ABANDONED_AFTER_S:.0f} s")

    def on_epoch_end(self, epoch: int, metrics: dict[str, float], class_accuracy: list[float]) -> None:
        run = self.run
        history = {k: list(v) for k, v in run.history.items()}
        for key, value in metrics.items():
            history.setdefault(key, []).append(value)
        run.history = history
        run.class_accuracy = [*run.class_accuracy, class_accuracy]
        self.also.on_epoch_end(epoch, metrics, class_accuracy)

    def on_checkpoint(self, model) -> None:
        self.run.persist(model)  # a crash from here on loses at most the epoch under way
        self.also.on_checkpoint(model)

    def on_model_file(self, data: bytes) -> None:
        self.run.persist(model_file=data)  # as on_checkpoint, for a run trained by a worker
        self.also.on_model_file(data)

    def on_run_end(self, result: TrainResult) -> None:
        run = self.run
        run.result = result
        run.history = result.history or run.history
        run.status = result.status
        if result.status == INTERRUPTED:  # its worker process died (fmnist/cluster.py)
            run.stop_reason = f"interrupted: {result.error}"
        run.training_model = None
        run.persist()
        if run.workspace is not None and result.model is not None:  # its readers need not load it again
            _remember(run.workspace.model_path(run.id), result.model)
        self.also.on_run_end(result)


class _Both(TrainingListener):
    def __init__(self, first: TrainingListener, second: TrainingListener):
        self.listeners = (first, second)

    def on_run_start(self, config, steps_per_epoch):
        for listener in self.listeners:
            listener.on_run_start(config, steps_per_epoch)

    def on_model(self, model):
        for listener in self.listeners:
            listener.on_model(model)

    def on_progress(self, progress):
        for listener in self.listeners:
            listener.on_progress(progress)

    def on_epoch_end(self, epoch, metrics, class_accuracy):
        for listener in self.listeners:
            listener.on_epoch_end(epoch, metrics, class_accuracy)

    def on_checkpoint(self, model):
        for listener in self.listeners:
            listener.on_checkpoint(model)

    def on_start_units(self, units):
        for listener in self.listeners:
            listener.on_start_units(units)

    def on_model_file(self, data):
        for listener in self.listeners:
            listener.on_model_file(data)

    def on_run_end(self, result):
        for listener in self.listeners:
            listener.on_run_end(result)


def _board(run: Run) -> TrainingListener:
    """TensorBoard logs in the run's folder, for a kept run; nothing for one that is not."""
    if run.workspace is None or run.config is None:
        return TrainingListener()
    from fmnist.board import FOLDER, BoardLogger

    folder = run.workspace.model_path(run.id).parent / FOLDER
    return BoardLogger(folder, run.config, name=f"{run.workspace.name}/{run.id}")


def live_run(workspace: str | None, run_id: int) -> Run | None:
    """The run of that id training or queued in this process, if there is one."""
    with _live_lock:
        return _live.get((workspace, run_id))


def start_run(run_id: int, config: RunConfig, data: Dataset, workspace: Workspace | None = None) -> Run:
    """Queue a run and return its record at once; it trains in a daemon thread when its turn
    comes, at once when the server has room and its workspace trains nothing else."""
    run = Run(id=run_id, config=config, workspace=workspace, status=QUEUED)
    key = (workspace.name if workspace else None, run_id)

    def target() -> None:
        try:
            _engine()(config, data, _Recorder(run), run.stop_event)
        finally:
            _forget(run)
            _dispatch()

    # All set before the run joins the queue: another run ending on another thread may
    # start it the moment it is there.
    run.thread = threading.Thread(target=target, name=f"fmnist-run-{run_id}", daemon=True)
    with _live_lock:
        if len(_queue) >= MAX_QUEUED:
            raise TooManyRuns(f"{len(_queue)} runs are already waiting on this server, its limit; try again later")
        if workspace is not None:
            workspace.hold(run_id)  # from now until it ends: a reader never takes it for interrupted
        run.persist()
        _live[key] = run
        _queue.append(run)
    _dispatch(just_queued=run)
    return run


def _engine(on_cluster: bool | None = None):
    """What trains a run: `fmnist.train.train` in this thread, or its twin that sends the run to
    a worker process and reports it here; `on_cluster` None: as this server does (ON_CLUSTER)."""
    if not (ON_CLUSTER if on_cluster is None else on_cluster):
        from fmnist.train import train

        return train
    from fmnist.cluster import train_on_cluster

    return train_on_cluster


def remove_queued(run: Run) -> bool:
    """Take a run out of the queue before it starts, and forget it (its folder too); False
    when it is not waiting any more (it started meanwhile)."""
    with _live_lock:
        if not any(waiting is run for waiting in _queue):
            return False
        _queue.remove(run)
        run.status, run.stop_reason = STOPPED, "removed from the queue"
    _forget(run)
    if run.workspace is not None:
        run.workspace.delete(run.id)
    return True


def _forget(run: Run) -> None:
    with _live_lock:
        _live.pop((run.workspace.name if run.workspace else None, run.id), None)
    if run.workspace is not None:
        run.workspace.release(run.id)


def _dispatch(just_queued: Run | None = None) -> None:
    """Start the queued runs that may start: in order, while fewer than MAX_RUNNING train, one
    per workspace. A run whose page has been gone for ABANDONED_AFTER_S leaves the queue (not
    `just_queued`: its page is there)."""
    starting, gone = [], []
    with _live_lock:
        training = sum(run.running for run in _live.values())
        busy = {run.workspace.name for run in _live.values() if run.running and run.workspace is not None}
        for run in list(_queue):
            if run is not just_queued and time.monotonic() - run.last_seen > ABANDONED_AFTER_S:
                _queue.remove(run)
                gone.append(run)
            elif training < MAX_RUNNING and (run.workspace is None or run.workspace.name not in busy):
                _queue.remove(run)
                run.status, run.last_seen = TRAINING, time.monotonic()
                training += 1
                if run.workspace is not None:
                    busy.add(run.workspace.name)
                starting.append(run)
    for run in gone:  # kept, so that a learner coming back sees what did not run
        run.stop_reason = "not started: its page was closed before its turn"
        run.status = STOPPED
        run.result = TrainResult(model=None, status=STOPPED)
        run.persist()
        _forget(run)
    for run in starting:
        run.persist()
        run.thread.start()


def train_here(
    config: RunConfig, data: Dataset, workspace: Workspace, listener: TrainingListener, on_cluster: bool = False
) -> Run:
    """Train in this thread (the command line), or on the cluster's workers with `on_cluster`,
    kept in `workspace` as it goes, `listener` hearing everything; returns the finished run."""
    run = Run(id=workspace.new_id(), config=config, workspace=workspace)
    workspace.hold(run.id)
    try:
        run.persist()
        _engine(on_cluster)(config, data, _Recorder(run, listener, abandon=False), run.stop_event)
    finally:
        workspace.release(run.id)
    return run


def loaded_run(run_id: int, model, source: str, data: Dataset, workspace: Workspace | None = None) -> Run:
    """A finished run for a model loaded from a file, measured on this dataset's test split."""
    from fmnist.evaluate import accuracy, predict_proba

    test_accuracy = accuracy(predict_proba(model, data.test.images), data.test.labels)
    result = TrainResult(model=model, status=FINISHED, test_accuracy=test_accuracy)
    run = Run(id=run_id, config=None, status=FINISHED, result=result, source=source, workspace=workspace)
    run.persist(model)
    return run
