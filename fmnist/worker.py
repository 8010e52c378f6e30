"""The worker side of a run trained on a Dask cluster (fmnist/cluster.py is the web server's side).

`train_task` runs in a Dask worker process: it trains with the same engine as everywhere
(`fmnist.train.train`) and sends what the engine reports through a Dask `Queue` named for the
run, as plain messages (msgpack: no pickled objects come back):

    ("start", steps_per_epoch)
    ("units", bytes, shape)            an MLP's first layer before training (Inside the model)
    ("progress", {Progress fields})    several a second
    ("epoch", epoch, metrics, class_accuracy)
    ("model", bytes)                   the model after each epoch, as a .keras file

It returns the run's end as a dict (status, history, seconds, test accuracy, error) with the
worker's memory. Stop is cooperative: a thread watches the run's Dask `Event` and sets the
engine's stop event, which the engine checks between chunks.

As a preload (`dask worker --preload fmnist.worker`, and every local worker), `dask_setup`
imports TensorFlow when the worker starts, so a run's first step does not wait for it, and
lowers the worker's priority below the web server's, and sizes TensorFlow's thread pools for
training (fmnist.threads). No Streamlit here.
"""

from __future__ import annotations

import os
import threading
from dataclasses import asdict
from pathlib import Path

from fmnist.threads import use_training_threads

WORKER_NICENESS = 10  # below the web server (0): pages stay quick while runs train
GROUP_NICENESS = 19  # the local cluster's scheduling group: lowest, see lower_group_priority
AUTOGROUP = Path("/proc/self/autogroup")


def lower_group_priority() -> None:
    """Put this process's scheduling group, and so every process it starts, below the web
    server and the learner's browser. Call it in a process started in a session of its own.

    Linux with autogroup scheduling (/proc/sys/kernel/sched_autogroup_enabled, on by default
    on desktops) shares the CPU evenly between sessions first (a terminal and what it started,
    a browser) and only then by niceness inside each: workers at nice 10 in the web server's
    session still took half the machine from a browser drawing a page (bench: a new visitor's
    first page 1.8x slower while two runs trained). A session's group has a niceness of its own."""
    lower_priority()
    try:
        AUTOGROUP.write_text(str(GROUP_NICENESS))
    except OSError:  # no autogroup scheduling here (other systems, containers without /proc): niceness alone
        pass


def lower_priority() -> None:
    """This process at WORKER_NICENESS at least, whatever it started at."""
    try:
        os.nice(max(0, WORKER_NICENESS - os.nice(0)))
    except OSError:  # not allowed here: it runs at the server's priority
        pass


def dask_setup(worker=None) -> None:
    """Run by Dask in each worker process as it starts."""
    lower_priority()
    use_training_threads()  # before TensorFlow starts
    import fmnist.train  # noqa: F401  TensorFlow and Keras, imported once per worker


def train_task(config: dict, data, queue_name: str, stop_name: str) -> dict:
    """Train one run in this worker; see the module's docstring for what it sends and returns."""
    from distributed import Event, Queue, get_worker

    from fmnist.config import RunConfig
    from fmnist.train import train

    queue, stop = Queue(queue_name), threading.Event()
    watcher = threading.Thread(target=_watch, args=(Event(stop_name), stop), daemon=True)
    watcher.start()
    try:
        result = train(RunConfig.from_dict(config), data, _Sender(queue), stop)
    finally:
        stop.set()  # ends the watcher
    return {
        "status": result.status,
        "history": result.history,
        "seconds": result.seconds,
        "test_accuracy": result.test_accuracy,
        "error": result.error,
        "rss_mb": memory_mb(),
        "worker": get_worker().address,
    }


def _watch(event, stop: threading.Event) -> None:
    """Set `stop` when the run's Dask event is set (or the run ends)."""
    while not stop.is_set():
        try:
            if event.wait(timeout=0.5):
                stop.set()
        except Exception:  # the scheduler went away: the run cannot be reported anyway
            stop.set()


def memory_mb() -> float:
    """This process's resident memory, in MB."""
    import psutil

    return psutil.Process().memory_info().rss / 2**20


class _Sender:
    """A TrainingListener that puts each event in the run's queue, as plain values."""

    def __init__(self, queue):
        self.queue = queue

    def on_run_start(self, config, steps_per_epoch: int) -> None:
        self.queue.put(("start", steps_per_epoch))

    def on_model(self, model) -> None:
        from fmnist.inside import reads_pixels, unit_pictures

        if reads_pixels(model):
            units = unit_pictures(model).astype("float32")
            self.queue.put(("units", units.tobytes(), list(units.shape)))

    def on_progress(self, progress) -> None:
        self.queue.put(("progress", asdict(progress)))

    def on_epoch_end(self, epoch: int, metrics: dict, class_accuracy: list) -> None:
        self.queue.put(("epoch", epoch, metrics, class_accuracy))

    def on_checkpoint(self, model) -> None:
        from fmnist.export import model_bytes

        self.queue.put(("model", model_bytes(model)))

    def on_run_end(self, result) -> None:  # the task's return value carries the end
        pass
