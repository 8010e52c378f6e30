"""Training on a Dask cluster: the web server's side (the worker's side is fmnist/worker.py).

The app trains its runs in worker processes, not in the web server: by default a Dask
`LocalCluster` started on first use in a process of its own (fmnist/local_cluster.py, which
ends with this one), with `settings.WORKERS` single-task worker processes at a lower priority
than the web server; with FMNIST_SCHEDULER=tcp://host:port, an
existing cluster's workers instead. A scheduler that cannot be reached within
`CONNECT_TIMEOUT_S` is said once in `notice` (and the log), and the local cluster is used.

`train_on_cluster` has the engine's own signature (`fmnist.train.train`): it sends the run to a
worker and replays what the worker reports into the listener as it comes (progress, epochs,
each epoch's model as .keras bytes), so fmnist.runs keeps the run store up to date exactly
as for a run trained in a thread. Stop sets the run's Dask `Event`; the worker stops within a
chunk. A worker that dies mid-run (killed, out of memory) ends the run as interrupted, with
the last epoch's model already in the store. A worker that has grown past
`settings.WORKER_MAX_MB` is restarted after its run, so memory a run leaves behind is given
back. No Streamlit here.
"""

from __future__ import annotations

import logging
import select
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import numpy as np

from fmnist import settings
from fmnist.config import RunConfig
from fmnist.data import Dataset
from fmnist.events import FAILED, Progress, TrainingListener, TrainResult
from fmnist.store import INTERRUPTED

CONNECT_TIMEOUT_S = 5  # to reach FMNIST_SCHEDULER before falling back to local workers
LOCAL_START_TIMEOUT_S = 60  # for the local cluster's scheduler to come up
POLL_S = 0.1  # how often the run's queue and its Stop are looked at
WORKER_WAIT_S = 120  # for a worker to (re)join before a run gives up

_LOG = logging.getLogger(__name__)
_lock = threading.Lock()
_client = None
_local: subprocess.Popen | None = None  # the local cluster's process (fmnist/local_cluster.py), once started
_scattered: dict[int, tuple[Dataset, object]] = {}  # id(dataset) -> (dataset, its future on the cluster)
SCHEDULER = settings.SCHEDULER  # a cluster's scheduler address (FMNIST_SCHEDULER, `train --scheduler`), or None
notice: str | None = None  # for people: why runs train somewhere other than asked


def client():
    """The Dask client every run goes through, connected on first use."""
    global _client
    with _lock:
        if _client is None or _client.status not in ("running", "connecting"):
            _client = _connect()
        return _client


def warm_up() -> None:
    """Connect now (a local cluster's workers import TensorFlow as they start), so the first
    run does not wait for it; a failure is logged, and the first run says it again."""
    try:
        client()
    except Exception as error:
        _LOG.warning("the training cluster could not start: %s", _line(error))


def _connect():
    global notice, _local
    from distributed import Client

    address = SCHEDULER
    if address:
        try:
            return Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            notice = f"the cluster at {address} cannot be reached ({_line(error)}); runs train on this machine instead"
            _LOG.warning("%s", notice)
    if _local is None or _local.poll() is not None:
        _local = _start_local_cluster(settings.WORKERS)
    return Client(_local.address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)


def _start_local_cluster(workers: int) -> subprocess.Popen:
    """fmnist.local_cluster in a process of its own, once it says its scheduler's address."""
    process = subprocess.Popen(
        [sys.executable, "-m", "fmnist.local_cluster", str(max(1, workers))],
        stdin=subprocess.PIPE,  # held open: the cluster lives as long as this process
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        start_new_session=True,  # a scheduling group of its own: fmnist.worker.lower_group_priority
    )
    ready, _, _ = select.select([process.stdout], [], [], LOCAL_START_TIMEOUT_S)
    line = process.stdout.readline().strip() if ready else ""
    if not line.startswith("tcp://"):
        process.kill()
        raise RuntimeError(f"the local training cluster did not start within {LOCAL_START_TIMEOUT_S} s")
    process.address = line
    return process


def close() -> None:
    """Disconnect, and end the local cluster if this process started one; the next run
    connects again."""
    global _client, _local
    with _lock:
        if _client is not None:
            _client.close()
        if _local is not None:
            _local.stdin.close()  # the cluster's cue to shut down
            try:
                _local.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _local.kill()
        _client, _local = None, None
        _scattered.clear()


def worker_pids() -> dict[str, int]:
    """Each worker's address and process id (for the tests and the bench)."""
    import os

    return client().run(os.getpid, on_error="ignore")  # a worker restarting is left out


def worker_memory_mb() -> dict[str, float]:
    """Each worker's address and resident memory in MB."""
    from fmnist.worker import memory_mb

    return client().run(memory_mb, on_error="ignore")


def _data_on(dask, data: Dataset):
    """The dataset's future on the cluster, sent once (to every worker) and reused."""
    kept = _scattered.get(id(data))
    if kept is None or kept[0] is not data or kept[1].status != "finished":
        kept = (data, dask.scatter(data, broadcast=True, hash=False))
        _scattered[id(data)] = kept
    return kept[1]


def train_on_cluster(
    config: RunConfig,
    data: Dataset,
    listener: TrainingListener | None = None,
    stop: threading.Event | None = None,
) -> TrainResult:
    """Train on a worker, `listener` hearing it here as it happens; as `fmnist.train.train`."""
    from distributed import Event, Queue

    from fmnist.worker import train_task

    listener = listener or TrainingListener()
    stop = stop or threading.Event()
    replay = _Replay(listener, config)
    started = time.perf_counter()
    try:
        dask = client()
        _wait_for_a_worker(dask, stop)
        token = uuid.uuid4().hex
        queue, stop_event = Queue(f"fmnist-events-{token}", client=dask), Event(f"fmnist-stop-{token}", client=dask)
        future = dask.submit(
            train_task, config.to_dict(), _data_on(dask, data), queue.name, stop_event.name, key=f"fmnist-run-{token}"
        )
    except Exception as error:  # no cluster: the run fails with a line saying why
        result = TrainResult(model=None, status=FAILED, error=f"no worker to train on: {_line(error)}")
        listener.on_run_end(result)
        return result
    try:
        end = _follow(future, queue, stop_event, stop, replay)
    finally:
        try:
            stop_event.clear()  # the scheduler forgets both
            queue.close()
            future.release()
        except Exception:  # the client was closed meanwhile (the server shutting down)
            pass
    history = end.get("history") or replay.history
    result = TrainResult(
        model=None,  # in the run store: fmnist.runs reads it from there
        status=end.get("status", FAILED),
        history=history,
        seconds=end.get("seconds") or time.perf_counter() - started,
        test_accuracy=end.get("test_accuracy", (history.get("val_accuracy") or [None])[-1]),
        error=end.get("error"),
    )
    listener.on_run_end(result)
    if end.get("rss_mb", 0) > settings.WORKER_MAX_MB:
        _recycle(dask, end.get("worker"), end["rss_mb"])
    return result


def _wait_for_a_worker(dask, stop: threading.Event) -> None:
    """Until the cluster has a worker: workers that died are restarting (TensorFlow takes
    seconds to import), and data can only be sent to one that is there."""
    deadline = time.monotonic() + WORKER_WAIT_S
    while not stop.is_set():
        try:
            dask.wait_for_workers(1, timeout=1)
            return
        except TimeoutError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no worker joined the cluster within {WORKER_WAIT_S} s") from None


def _follow(future, queue, stop_event, stop: threading.Event, replay: _Replay) -> dict:
    """Replay the run's messages until it ends; its end as train_task returns it (status
    INTERRUPTED when its worker was lost)."""
    stop_sent = False
    while True:
        if stop.is_set() and not stop_sent:
            stop_event.set()
            stop_sent = True
        done = future.done()  # before draining: whatever the task sent before ending is in the queue
        messages = queue.get(batch=True)  # what is there now (a get that times out logs an error)
        if not messages and not done:
            time.sleep(POLL_S)
        for message in messages:
            replay.play(message)
        if replay.started_twice:  # a scheduler that reran the task elsewhere: end the rerun
            stop_event.set()
            return {"status": INTERRUPTED, "error": "its worker process stopped"}
        if done and not messages:
            break
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as error:  # the worker died under it
        _LOG.warning("a run's worker was lost: %s", _line(error))
        return {"status": INTERRUPTED, "error": "its worker process stopped"}
    except Exception as error:  # the task itself broke (the engine reports its own failures)
        return {"status": FAILED, "error": _line(error)}


def _recycle(dask, worker: str | None, rss_mb: float) -> None:
    """Restart a worker that has grown, on a thread: the next run need not wait for it."""
    if worker is None:
        return
    _LOG.info("restarting worker %s: %.0f MB after its run", worker, rss_mb)
    threading.Thread(
        target=dask.restart_workers, args=([worker],), kwargs={"raise_for_error": False}, daemon=True
    ).start()


def _line(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0]}" if text else type(error).__name__


class _Replay:
    """Turns a worker's messages back into listener calls, here."""

    def __init__(self, listener: TrainingListener, config: RunConfig):
        self.listener, self.config = listener, config
        self.history: dict[str, list[float]] = {}
        self.started_twice = False
        self._started = False

    def play(self, message) -> None:
        kind, *values = message
        if kind == "start":
            self.started_twice = self._started
            self._started = True
            if not self.started_twice:
                self.listener.on_run_start(self.config, values[0])
        elif self.started_twice:
            return
        elif kind == "units":
            raw, shape = values
            self.listener.on_start_units(np.frombuffer(raw, np.float32).reshape(shape))
        elif kind == "progress":
            self.listener.on_progress(Progress(**values[0]))
        elif kind == "epoch":
            epoch, metrics, class_accuracy = values
            for key, value in metrics.items():
                self.history.setdefault(key, []).append(value)
            self.listener.on_epoch_end(epoch, metrics, class_accuracy)
        elif kind == "model":
            self.listener.on_model_file(values[0])
