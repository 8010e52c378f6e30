"""What each layer may load, checked in a fresh interpreter as the app and the CLI start."""

import subprocess
import sys

import pytest

from tests.conftest import REPO

FMNIST_MODULES = [
    "data",
    "config",
    "model",
    "train",
    "events",
    "chunked_fit",
    "numpy_forward",
    "runs",
    "store",
    "board",
    "evaluate",
    "export",
    "preprocess",
    "charts",
    "picture_grid",
    "tiles",
    "cli",
    "explain",
    "segment",
    "upright",
    "drawing",
    "augment",
    "settings",
    "quiet",
    "link",
    "inside",
    "maps",
    "keras_code",
    "compare",
    "cluster",
    "worker",
    "local_cluster",
    "threads",
]


def modules_loaded_by(statement: str) -> set[str]:
    probe = f"import sys; {statement}; print(' '.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize("module", FMNIST_MODULES)
def test_no_fmnist_module_imports_streamlit(module):
    assert "streamlit" not in modules_loaded_by(f"import fmnist.{module}")


def test_the_list_above_names_every_module_of_the_product():
    on_disk = {path.stem for path in (REPO / "fmnist").glob("*.py")} - {"__init__", "__main__"}
    assert on_disk == set(FMNIST_MODULES)


def test_the_product_never_imports_the_tools():
    assert not [
        name
        for name in modules_loaded_by("import fmnist.cli, fmnist.explain, fmnist.train")
        if name.startswith("tools")
    ]


def test_the_apps_frame_loads_no_tensorflow_so_the_first_page_paints_fast():
    loaded = modules_loaded_by("import ui.nav, ui.state, fmnist.data, fmnist.config")
    assert "streamlit" in loaded  # the probe did import the frame
    assert "tensorflow" not in loaded and "keras" not in loaded


def test_the_train_page_and_the_run_queue_load_no_tensorflow_so_a_first_visit_need_not_wait_for_it():
    # The server imports TensorFlow on a thread after its first page (ui.state.warm_up); a
    # Train page that imported it too waited for that import: 4-5 s on a fresh server.
    loaded = modules_loaded_by("import ui.train, ui.choice, fmnist.runs, fmnist.cluster, fmnist.export")
    assert "streamlit" in loaded and "fmnist.runs" in loaded
    assert "tensorflow" not in loaded and "keras" not in loaded


def test_the_frame_leaves_numpy_until_a_page_has_drawn_its_heading():
    # Streamlit itself does not load numpy; the frame drawn before every page's heading
    # must not either (measured: 0.15 s off the first paint of a fresh server).
    loaded = modules_loaded_by("import ui.nav, ui.state")
    assert "streamlit" in loaded
    assert "numpy" not in loaded


def test_the_worker_module_loads_tensorflow_only_in_a_worker_not_where_runs_are_sent_from():
    loaded = modules_loaded_by("import fmnist.worker, fmnist.local_cluster")
    assert "tensorflow" not in loaded and "distributed" not in loaded
