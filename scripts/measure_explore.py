"""How fast the Explore page answers with 10,000 test images: `.venv/bin/python scripts/measure_explore.py`.

Tiles the 8k folder's test split ($FMNIST_DATA_DIR, else ../shared) to the full test set's
10,000 images, trains one epoch through the Train page, then times the Explore page's script
run after each control, in Streamlit's AppTest (server side: the browser's drawing is not
counted). Not a test: it prints figures.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from fmnist.data import IMAGES_MAGIC, LABELS_MAGIC, load_dataset
from tools.idx import real_data_dir, write_idx


def main() -> None:
    data = load_dataset(real_data_dir())
    folder = Path(tempfile.mkdtemp())
    reps = -(-10_000 // len(data.test))
    write_idx(folder / "t10k-images-idx3-ubyte.gz", np.tile(data.test.images, (reps, 1, 1))[:10_000], IMAGES_MAGIC)
    write_idx(folder / "t10k-labels-idx1-ubyte.gz", np.tile(data.test.labels, reps)[:10_000], LABELS_MAGIC)
    write_idx(folder / "train-images-idx3-ubyte.gz", data.train.images, IMAGES_MAGIC)
    write_idx(folder / "train-labels-idx1-ubyte.gz", data.train.labels, LABELS_MAGIC)
    os.environ["FMNIST_DATA_DIR"] = str(folder)
    os.chdir(REPO)

    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    app.run()
    app.switch_page("pages/train.py").run()
    app.slider(key="train_epochs").set_value(1)
    app.button(key="train_start").click().run()
    app.session_state["runs"][-1].wait()
    app.run()

    def timed(label: str, action) -> None:
        started = time.perf_counter()
        action()
        print(f"{label:<44}{time.perf_counter() - started:6.2f} s")

    timed("first visit (predicts all 10,000 images)", lambda: app.switch_page("pages/explore.py").run())
    timed("rerun", app.run)
    timed("draw another 25", lambda: app.button(key="explore_redraw").click().run())
    timed("grid: only Shirts", lambda: app.selectbox(key="explore_grid_class").set_value("Shirt").run())
    timed("up close: picture #9000", lambda: app.number_input(key="explore_index").set_value(9000).run())
    timed("mistakes: true class Shirt", lambda: app.selectbox(key="explore_mistakes_true").set_value("Shirt").run())
    timed("confusion matrix: shares", lambda: app.toggle(key="explore_matrix_normalise").set_value(True).run())
    timed("suspicious labels: 90% sure", lambda: app.slider(key="explore_suspicious").set_value(0.9).run())


if __name__ == "__main__":
    main()
