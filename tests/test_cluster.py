"""Runs trained in Dask worker processes: the app's local cluster, and a scheduler and worker
started by hand on loopback, as the README's recipe does."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from fmnist import cluster, runs, settings
from fmnist.config import RunConfig
from fmnist.runs import Run, start_run
from fmnist.store import INTERRUPTED, RunStore
from fmnist.threads import INTER_OP, INTRA_OP
from fmnist.train import FINISHED, STOPPED
from fmnist.worker import AUTOGROUP
from tests.conftest import REPO

SMALL = RunConfig(epochs=2, hidden_units=(32,))
LONG = RunConfig(epochs=50, hidden_units=(32,), batch_size=8)  # ~900 steps an epoch: about a second


@pytest.fixture(scope="module")
def local_cluster():
    """The app's own local cluster, two workers, every run of these tests sent to it."""
    patch = pytest.MonkeyPatch()
    patch.setattr(settings, "WORKERS", 2)
    patch.setattr(cluster, "SCHEDULER", None)
    patch.setattr(runs, "ON_CLUSTER", True)
    cluster.close()
    try:
        yield cluster.client()
    finally:
        cluster.close()
        patch.undo()


@pytest.fixture
def space(tmp_path):
    return RunStore(tmp_path / "runs").workspace("on-cluster")


def accuracy_of(model, dataset) -> float:
    from fmnist.evaluate import accuracy, predict_proba

    return accuracy(predict_proba(model, dataset.test.images), dataset.test.labels)


def until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.2)  # each look asks every worker: gently, while they start or train


def test_a_run_trains_in_a_lower_priority_worker_process_and_its_progress_curves_and_model_arrive_here(
    local_cluster, dataset, space
):
    until(lambda: len(cluster.worker_pids()) == 2, timeout=120)  # the first at once, the second as it is ready
    workers = cluster.worker_pids()
    assert os.getpid() not in workers.values()
    assert all(nice > os.nice(0) for nice in local_cluster.run(os.nice, 0).values())
    # Linux with autogroup shares the CPU between sessions first: theirs is another, and the lowest.
    # The file reads empty where a cgroup of its own shares the CPU instead (CI's sandbox, containers).
    ours = AUTOGROUP.read_text().split() if AUTOGROUP.exists() else []
    if ours:
        groups = [group.split() for group in local_cluster.run(AUTOGROUP.read_text).values()]
        assert all(group[0] != ours[0] for group in groups), groups
        assert all(group[-1] == "19" for group in groups), groups

    run = start_run(space.new_id(), SMALL, dataset, space)
    seen = []
    while run.under_way:
        if run.progress is not None and (not seen or seen[-1] is not run.progress):
            seen.append(run.progress)
        time.sleep(0.02)
    assert run.status == FINISHED, run.result.error
    assert len(run.history["val_accuracy"]) == 2 and len(run.class_accuracy) == 2
    assert any(0 < progress.step < progress.steps for progress in seen)  # within epochs, not only at their ends
    assert len(run.live) >= 2  # the curve's points within epochs
    assert run.starting_units().shape == (32, 28, 28)  # Inside the model's "what training changed"
    assert accuracy_of(run.model, dataset) == pytest.approx(run.test_accuracy, abs=1e-6)
    (record,) = space.load_all()
    assert record.status == FINISHED and record.has_model


def test_worker_processes_split_an_op_over_half_the_cores_run_two_ops_at_once_and_opencv_on_one_thread(local_cluster):
    def pools():
        import cv2

        return {**{name: os.environ.get(name) for name in (INTRA_OP, INTER_OP)}, "opencv": cv2.getNumThreads()}

    seen = local_cluster.run(pools)
    cores = len(os.sched_getaffinity(0))
    assert list(seen.values()) == [{INTRA_OP: str(max(1, cores // 2)), INTER_OP: "2", "opencv": 1}] * len(seen)


def test_stop_ends_a_worker_run_within_an_epoch_and_keeps_its_model(local_cluster, dataset, space):
    run = start_run(space.new_id(), LONG, dataset, space)
    until(lambda: space.model_path(run.id).exists())  # an epoch's model has come back
    assert run.running and run.model_so_far is not None  # the last epoch's model, while it trains
    at_stop = len(run.history["loss"])
    run.stop()
    run.wait(30)
    assert run.status == STOPPED and run.stop_reason == "stopped by you"
    # An epoch here takes about half a second: the one under way ends, and perhaps the one a
    # report was on its way from; never the 50 (the bench times Stop in the browser).
    assert at_stop <= len(run.history["loss"]) <= at_stop + 3
    assert accuracy_of(run.model, dataset) > 0.5


def test_a_worker_killed_mid_run_interrupts_the_run_keeps_its_last_epoch_and_the_next_run_trains(
    local_cluster, dataset, space
):
    run = start_run(space.new_id(), LONG, dataset, space)
    until(lambda: space.model_path(run.id).exists())  # an epoch's model has come back
    for pid in cluster.worker_pids().values():  # kill -9: whichever one trains it
        os.kill(pid, signal.SIGKILL)
    run.wait(30)
    assert run.status == INTERRUPTED
    assert run.stop_reason == "interrupted: its worker process stopped"
    assert accuracy_of(run.model, dataset) > 0.5  # the last finished epoch's model, from the store
    assert run.test_accuracy == run.history["val_accuracy"][-1]

    (record,) = space.load_all()
    again = Run.from_record(record, space)  # as a reload reads it
    assert again.status == INTERRUPTED and again.stop_reason == "interrupted: its worker process stopped"

    following = start_run(space.new_id(), RunConfig(epochs=1, hidden_units=(16,)), dataset, space)
    following.wait(120)
    assert following.status == FINISHED, following.result.error


def test_a_worker_grown_past_its_limit_is_restarted_after_its_run(local_cluster, dataset, space, monkeypatch):
    monkeypatch.setattr(settings, "WORKER_MAX_MB", 1)  # every worker is over it
    until(lambda: len(cluster.worker_pids()) == 2, timeout=120)  # none still restarting from an earlier test
    before = set(cluster.worker_pids().values())
    run = start_run(space.new_id(), RunConfig(epochs=1, hidden_units=(16,)), dataset, space)
    run.wait(120)
    assert run.status == FINISHED
    until(lambda: set(cluster.worker_pids().values()) - before, timeout=120)  # a new process in its place
    until(lambda: len(cluster.worker_pids()) == 2, timeout=120)


def test_a_worker_killed_again_while_it_restarts_still_comes_back(local_cluster):
    until(lambda: len(cluster.worker_pids()) == 2, timeout=120)
    first = set(cluster.worker_pids().values())
    killed = time.monotonic()
    os.kill(min(first), signal.SIGKILL)
    until(lambda: len(cluster.worker_pids()) == 2, timeout=120)
    (replacement,) = set(cluster.worker_pids().values()) - first
    # Killed again 13.5 s after the first death: its next start is still under way 15 s after
    # it, when LocalCluster by default gives the worker up and closes its nanny.
    time.sleep(max(0.0, killed + 13.5 - time.monotonic()))
    os.kill(replacement, signal.SIGKILL)
    until(lambda: len(cluster.worker_pids()) == 2 and replacement not in cluster.worker_pids().values(), timeout=120)
    time.sleep(2)
    assert len(cluster.worker_pids()) == 2


def test_a_scheduler_that_cannot_be_reached_is_said_in_one_line_and_runs_train_on_local_workers(
    local_cluster, dataset, space, monkeypatch
):
    cluster.close()
    monkeypatch.setattr(cluster, "SCHEDULER", "tcp://127.0.0.1:9")  # nothing listens there
    monkeypatch.setattr(cluster, "notice", None)
    started = time.monotonic()
    cluster.client()
    assert time.monotonic() - started < 60  # never hangs (the local cluster's start included)
    assert cluster.notice.startswith("the cluster at tcp://127.0.0.1:9 cannot be reached (")
    assert "\n" not in cluster.notice and cluster.notice.endswith("runs train on this machine instead")
    run = start_run(space.new_id(), RunConfig(epochs=1, hidden_units=(16,)), dataset, space)
    run.wait(120)
    assert run.status == FINISHED, run.result.error
    cluster.close()


@pytest.fixture(scope="module")
def scheduler_and_worker(tmp_path_factory):
    """`dask scheduler` and `dask worker --preload fmnist.worker`, separate processes on loopback."""
    folder = tmp_path_factory.mktemp("dask")
    address_file = folder / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
         "--no-dashboard", "--scheduler-file", str(address_file)],
        env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file", str(address_file),
         "--nworkers", "1", "--nthreads", "1", "--preload", "fmnist.worker", "--no-dashboard"],
        env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        yield json.loads(address_file.read_text())["address"]
    finally:
        for process in (worker, scheduler):
            process.terminate()
        for process in (worker, scheduler):
            process.wait(30)


def test_a_run_trains_through_fmnist_scheduler_on_a_scheduler_and_worker_started_by_hand(
    scheduler_and_worker, dataset, space, monkeypatch
):
    cluster.close()
    monkeypatch.setattr(cluster, "SCHEDULER", scheduler_and_worker)
    monkeypatch.setattr(cluster, "notice", None)
    monkeypatch.setattr(runs, "ON_CLUSTER", True)
    try:
        client = cluster.client()
        client.wait_for_workers(1, timeout=60)
        run = start_run(space.new_id(), SMALL, dataset, space)
        run.wait(120)
    finally:
        cluster.close()
    assert cluster.notice is None
    assert run.status == FINISHED, run.result.error
    assert accuracy_of(run.model, dataset) == pytest.approx(run.test_accuracy, abs=1e-6)


def test_the_command_line_trains_on_a_cluster_with_scheduler_and_in_process_without(
    scheduler_and_worker, data_dir, tmp_path
):
    def train(*extra: str) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "fmnist", "train", "--epochs", "1", "--hidden-units", "16", "--json",
             "--data-dir", str(data_dir), "--runs-dir", str(tmp_path / "runs"), "--out", str(tmp_path / "m.keras"),
             *extra],
            cwd=REPO, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    remote, here = train("--scheduler", scheduler_and_worker), train()
    assert remote["status"] == here["status"] == FINISHED
    assert remote["params"] == here["params"] == 784 * 16 + 16 + 16 * 10 + 10
    assert abs(remote["test_accuracy"] - here["test_accuracy"]) < 0.05  # same seed; threads may order sums differently
    assert np.isfinite(remote["seconds"])


TRAIN_THROUGH_THE_ENVIRONMENT = """
import os, sys
from fmnist import cluster, runs
from fmnist.config import RunConfig
from fmnist.data import load_dataset
from fmnist.store import RunStore

if __name__ == "__main__":
    space = RunStore(sys.argv[2]).workspace("from-env")
    run = runs.start_run(space.new_id(), RunConfig(epochs=1, hidden_units=(16,)), load_dataset(sys.argv[1]), space)
    run.wait(120)
    print(runs.ON_CLUSTER, cluster.SCHEDULER, run.status, cluster.notice)
    cluster.close()
"""


def test_fmnist_scheduler_in_the_environment_sends_the_apps_runs_to_that_cluster(
    scheduler_and_worker, data_dir, tmp_path
):
    env = {**os.environ, "FMNIST_SCHEDULER": scheduler_and_worker, "PYTHONPATH": str(REPO)}
    env.pop("FMNIST_WORKERS")  # as the app starts: its own defaults
    script = tmp_path / "train_from_env.py"
    script.write_text(TRAIN_THROUGH_THE_ENVIRONMENT)
    done = subprocess.run(
        [sys.executable, str(script), str(data_dir), str(tmp_path / "runs")],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-4:] == ["True", scheduler_and_worker, FINISHED, "None"]
