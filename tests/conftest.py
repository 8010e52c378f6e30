"""Shared fixtures: the real 8k Fashion-MNIST folder when present, small IDX files otherwise."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tools.idx import make_idx_folder, real_data_dir

REPO = Path(__file__).resolve().parent.parent

# Runs started in this process train in its threads (FMNIST_WORKERS=0), the quick way for
# page and engine tests; tests/test_cluster.py trains on worker processes, and the app
# servers of the browser tests train on their own local clusters (`app_env`).
os.environ["FMNIST_WORKERS"] = "0"


def app_env(**extra: str) -> dict[str, str]:
    """The environment for an app server under test: this one, with the app's own default
    of training on a local cluster's worker processes."""
    env = {key: value for key, value in os.environ.items() if key != "FMNIST_WORKERS"}
    return {**env, **extra}


@pytest.fixture(autouse=True)
def _clean_environment(tmp_path_factory, monkeypatch):
    # No test reads or writes the user's real cache of the tfds download.
    monkeypatch.setenv("FMNIST_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    # Nor the user's runs: each test keeps its runs in a folder of its own.
    monkeypatch.setenv("FMNIST_RUNS_DIR", str(tmp_path_factory.mktemp("runs")))
    # AppTest leaves the app's script as this process's __main__; a process started later
    # with multiprocessing's spawn would run the whole app again before its own work.
    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    return real_data_dir() or make_idx_folder(tmp_path_factory.mktemp("idx"), 700, 200)


@pytest.fixture(scope="session")
def dataset(data_dir):
    from fmnist.data import load_dataset

    return load_dataset(data_dir)


@pytest.fixture(scope="session")
def trained(dataset):
    """The lesson's model after 2 epochs: enough to be clearly better than chance."""
    from fmnist.config import RunConfig
    from fmnist.train import train

    return train(RunConfig(epochs=2), dataset)


needs_real_data = pytest.mark.skipif(
    real_data_dir() is None, reason="needs the 8k Fashion-MNIST folder (../shared or $FMNIST_DATA_DIR)"
)
