"""The benchmark command's reporting (its measurements are not run here: they take minutes)."""

import subprocess
import sys

from tests.conftest import REPO
from tools.bench import KEYS, TARGETS, table


def test_the_json_keys_are_the_ones_the_benchmarks_issue_names():
    assert len(KEYS) == 15 and set(TARGETS) <= set(KEYS)


def test_the_table_marks_each_target_met_or_missed():
    lines = table({"train_ratio": 0.25, "first_paint_s": 2.9, "gflops": 20.0}).splitlines()
    assert any(line.startswith("train_ratio") and line.endswith("ok") for line in lines)
    assert any(line.startswith("first_paint_s") and line.endswith("MISSED") for line in lines)
    assert any(line.startswith("rss_mb") and "n/a" in line for line in lines)  # not measured


def test_the_command_explains_itself():
    done = subprocess.run([sys.executable, "-m", "tools.bench", "--help"], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0 and "--json" in done.stdout and "--chart" in done.stdout
