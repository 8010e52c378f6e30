"""What a browser session keeps between pages: the dataset, its training runs, the active model."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from fmnist.data import Dataset

RUNS_KEY = "runs"  # list[fmnist.runs.Run], oldest first
LAST_ID_KEY = "last_run_id"  # ids only grow
DERIVED_KEY = "derived"  # run id -> what was computed from that run
ACTIVE_KEY = "active_run_id"  # the run whose model Explore and Classify use


@st.cache_resource(show_spinner="Loading Fashion-MNIST…")
def _load(data_dir: str | None) -> Dataset:
    # cache_resource, not cache_data: one read-only copy shared by every session instead of a
    # 55 MB copy handed to each rerun. Keyed by the folder (a short string), never the arrays.
    from fmnist.data import load_dataset

    dataset = load_dataset(data_dir)
    for split in (dataset.train, dataset.test):
        split.images.flags.writeable = False
        split.labels.flags.writeable = False
    return dataset


def dataset_or_stop() -> Dataset:
    """The dataset, or a clear message on the page and the end of this script run."""
    # Imported here, not at the top: the frame (ui/nav.py) imports this module, and numpy
    # then loads after a page's heading is on its way to the browser, not before.
    from fmnist.data import DataError, resolve_data_dir

    folder = resolve_data_dir()
    try:
        return _load(str(folder) if folder else None)
    except DataError as error:
        from ui.text import plain

        st.error(
            f"**Fashion-MNIST could not be loaded.** {plain(error)}. After setting the variable, restart the server "
            "(stop `streamlit run app.py` with Ctrl+C and start it again) so that it reads it.",
            icon=":material/error:",
        )
        st.stop()


def runs() -> list:
    return st.session_state.setdefault(RUNS_KEY, [])


def next_run_id() -> int:
    """A new id, never one used before in this session: nothing measured for a deleted run
    can be taken for a new run's."""
    st.session_state[LAST_ID_KEY] = st.session_state.get(LAST_ID_KEY, 0) + 1
    return st.session_state[LAST_ID_KEY]


def derived(run) -> dict:
    """What was computed from a run (test probabilities, mirror check, files to download),
    kept under the run's id; it goes when the run goes."""
    return st.session_state.setdefault(DERIVED_KEY, {}).setdefault(run.id, {})


def add_run(run) -> None:
    runs().append(run)
    st.session_state[ACTIVE_KEY] = run.id


def active_run():
    """The run whose model the other pages use: the chosen one, else the latest with a model."""
    with_model = [run for run in runs() if run.model is not None]
    chosen = st.session_state.get(ACTIVE_KEY)
    for run in with_model:
        if run.id == chosen:
            return run
    return with_model[-1] if with_model else None


def model_or_stop(data: Dataset):
    """The active run, or an invitation to train one (here, in one click) and the end of this script run."""
    run = active_run()
    if run is None:
        if any(r.running for r in runs()):
            st.info(
                "The model is still training: this page fills in when the run ends.", icon=":material/hourglass_top:"
            )
        else:
            st.info("No model yet. Train the lesson's model here in one click, or go to Train to choose your own.")
            with st.container(horizontal=True):
                st.button(
                    "Train the lesson's model (5 epochs)",
                    type="primary",
                    key="train_lesson_here",
                    on_click=_train_lesson_model,
                    args=(data,),
                    icon=":material/play_arrow:",
                )
                st.page_link("pages/train.py", label="Go to Train", icon=":material/model_training:")
        st.stop()
    return run


def _train_lesson_model(data: Dataset) -> None:
    from fmnist.config import RunConfig
    from fmnist.runs import TooManyRuns, start_run

    try:
        add_run(start_run(next_run_id(), RunConfig(), data))
    except TooManyRuns as refusal:
        st.toast(f"Not started: {refusal}", icon=":material/hourglass_top:")


def test_probabilities(run, data: Dataset):
    """(n_test, 10) probabilities of the run's model, computed once per run and session."""
    from fmnist.evaluate import predict_proba

    cache = derived(run)
    if "test_probabilities" not in cache:
        cache["test_probabilities"] = predict_proba(run.model, data.test.images)
    return cache["test_probabilities"]


def delete_run(run) -> None:
    """Forget a run: its model, curves and cached files."""
    runs()[:] = [r for r in runs() if r is not run]
    st.session_state.get(DERIVED_KEY, {}).pop(run.id, None)
    if st.session_state.get(ACTIVE_KEY) == run.id:
        st.session_state.pop(ACTIVE_KEY)


def file_of(run, kind: str, make) -> bytes:
    """A run's downloadable file, made once: reruns do not save the model again."""
    files = derived(run).setdefault("files", {})
    if kind not in files:
        files[kind] = make()
    return files[kind]
