"""The benchmark command's reporting (its measurements are not run here: they take minutes)."""

import subprocess
import sys

from tests.conftest import REPO
from tools.bench import KEYS, TARGETS, table


def test_json_prints_every_key_once_with_null_for_what_was_not_measured(monkeypatch, capsys):
    import json

    from tools import bench

    monkeypatch.setattr(bench, "run", lambda data_dir: {"train_ratio": 0.1, "_model": object(), "_ratios": [0.1]})
    assert bench.main(["--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert list(printed) == list(KEYS) and set(TARGETS) <= set(KEYS)
    assert printed["train_ratio"] == 0.1 and printed["first_paint_s"] is None  # private "_" figures stay out


def test_the_table_marks_each_target_met_or_missed():
    lines = table({"train_ratio": 0.25, "first_paint_s": 2.9, "gflops": 20.0}).splitlines()
    assert any(line.startswith("train_ratio") and line.endswith("ok") for line in lines)
    assert any(line.startswith("first_paint_s") and line.endswith("MISSED") for line in lines)
    assert any(line.startswith("rss_mb") and "n/a" in line for line in lines)  # not measured


def test_the_command_explains_itself():
    done = subprocess.run([sys.executable, "-m", "tools.bench", "--help"], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0 and "--json" in done.stdout and "--chart" in done.stdout


def test_each_cnn_figure_comes_from_a_process_of_its_own_with_the_thread_pools_it_was_given(tmp_path, dataset):
    import os

    import numpy as np

    from fmnist.threads import INTER_OP, INTRA_OP
    from tools.bench import _cnn_part

    arrays = tmp_path / "small.npz"
    small = {"train_images": dataset.train.images[:96], "train_labels": dataset.train.labels[:96]}
    np.savez(arrays, **small, test_images=dataset.test.images[:32], test_labels=dataset.test.labels[:32])
    plain = _cnn_part("base", arrays, dict(os.environ))
    app = _cnn_part("photos", arrays, {**os.environ, INTRA_OP: "1", INTER_OP: "2"})
    assert plain["epoch_s"] > 0 and app["epoch_s"] > 0 and app["updates_per_s"] >= 0
    assert app["threads"] == "1/2"
    assert plain["threads"] == "/".join(os.environ.get(n, "default") for n in (INTRA_OP, INTER_OP))
