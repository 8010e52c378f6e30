"""TensorFlow's thread pools for processes that train (fmnist.threads)."""

from __future__ import annotations

import os

import pytest

from fmnist import threads
from fmnist.threads import INTER_OP, INTRA_OP, OPENCV_THREADS, training_threads, use_training_threads


@pytest.fixture
def clean_environment(monkeypatch):
    """This process's environment as a copy without the variables: nothing leaks out."""
    monkeypatch.setattr(
        os, "environ", {k: v for k, v in os.environ.items() if k not in (INTRA_OP, INTER_OP, OPENCV_THREADS)}
    )


@pytest.mark.parametrize(("cores", "per_op"), [(1, "1"), (2, "1"), (3, "1"), (4, "2"), (16, "8")])
def test_a_training_process_splits_an_op_over_half_the_cores_runs_two_ops_at_once_and_opencv_on_one_thread(
    clean_environment, monkeypatch, cores, per_op
):
    monkeypatch.setattr(threads.os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    assert training_threads() == {INTRA_OP: per_op, INTER_OP: "2", OPENCV_THREADS: "1"}


def test_thread_counts_already_in_the_environment_are_kept(clean_environment):
    os.environ[INTRA_OP] = "3"
    use_training_threads()
    assert os.environ[INTRA_OP] == "3"  # the person's choice
    assert os.environ[INTER_OP] == "2"  # the other one filled in
