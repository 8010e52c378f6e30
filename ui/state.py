"""What a browser session works with: the dataset, its workspace of runs (kept on disk, see
fmnist/store.py), the active model, and what was computed from each run."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from fmnist.data import Dataset

RUNS_KEY = "runs"  # list[fmnist.runs.Run], oldest first, as last read from the workspace
BROKEN_KEY = "broken_runs"  # list[fmnist.store.Broken]: run folders that could not be read
DERIVED_KEY = "derived"  # run id -> what was computed from that run
WORKSPACE_KEY = "workspace"  # this session's workspace name
WORKSPACE_PARAM = "w"  # the page link's query parameter that names the workspace


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


@st.cache_resource(show_spinner=False)
def warm_up() -> None:
    """Once per server, on a thread: TensorFlow imported and the training cluster's workers
    started, so neither the first Train visit nor the first Train press waits for them."""
    import threading

    threading.Thread(target=_warm_up, name="fmnist-warm-up", daemon=True).start()


def _warm_up() -> None:
    from fmnist import runs

    if runs.ON_CLUSTER:
        from fmnist import cluster

        cluster.warm_up()
    # Then TensorFlow here too, for the models Explore, Inside and Classify load. The pages'
    # own modules do not import it: a Train page opened meanwhile draws without waiting for it.
    import fmnist.train  # noqa: F401


def cluster_notice() -> str | None:
    """Why runs train somewhere other than FMNIST_SCHEDULER asked, if they do."""
    from fmnist import settings

    if not settings.SCHEDULER:
        return None
    from fmnist import cluster

    return cluster.notice


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


@st.cache_resource
def _store(root: str):
    """The run store, one per server (and root folder)."""
    from fmnist import settings
    from fmnist.store import RunStore

    return RunStore(Path(root), settings.MAX_RUNS, settings.MAX_WORKSPACE_MB)


def workspace():
    """This browser's workspace: named in the page's link (?w=...), so that a reload, a
    bookmark or a shared link brings the same runs back; a new one for a link without it."""
    import secrets

    from fmnist.store import WORKSPACE_NAME, default_root

    name = st.query_params.get(WORKSPACE_PARAM, "")
    if not WORKSPACE_NAME.match(name):
        name = st.session_state.get(WORKSPACE_KEY) or secrets.token_urlsafe(9)
    st.session_state[WORKSPACE_KEY] = name
    if st.query_params.get(WORKSPACE_PARAM) != name:  # Streamlit drops the link's query when a page is left
        st.query_params[WORKSPACE_PARAM] = name
    return _store(str(default_root())).workspace(name)


def runs() -> list:
    """The workspace's runs, oldest first, as the store has them now (a run training in this
    server is its live record); runs that cannot be read are in `broken_runs`."""
    from fmnist.runs import Run, live_run
    from fmnist.store import Broken

    space = workspace()
    entries = space.load_all()
    found = [live_run(space.name, e.id) or Run.from_record(e, space) for e in entries if not isinstance(e, Broken)]
    st.session_state[RUNS_KEY] = found
    st.session_state[BROKEN_KEY] = [e for e in entries if isinstance(e, Broken)]
    return found


def training_runs() -> list:
    """The workspace's runs training or waiting their turn in this server now. Without a run
    ever trained in this server nothing is imported: the frame draws this before a page's heading."""
    import sys

    if "fmnist.runs" not in sys.modules:
        return []
    return [run for run in runs() if run.under_way]


def active_record():
    """The active model's record (id, label, test accuracy), read without loading any model
    or TensorFlow: the sidebar shows it on every page. None before there is a model."""
    from fmnist.store import RunRecord

    space = workspace()
    records = [e for e in space.load_all() if isinstance(e, RunRecord)]
    usable = [e for e in records if e.has_model and e.status != "training"]
    picked = space.model_for_the_pages([e.id for e in usable], [e.id for e in records])
    return next((e for e in usable if e.id == picked), None)


def broken_runs() -> list:
    return st.session_state.get(BROKEN_KEY, [])


def derived(run) -> dict:
    """What was computed from a run (test probabilities, mirror check, files to download),
    kept under the run's id; it goes when the run goes."""
    return st.session_state.setdefault(DERIVED_KEY, {}).setdefault(run.id, {})


def active_run():
    """The run whose model the other pages use: the one the learner chose; until they choose,
    the first run with a model. A new run never takes its place by itself."""
    every = runs()
    with_model = runs_with_model(every)
    picked = workspace().model_for_the_pages([run.id for run in with_model], [run.id for run in every])
    return next((run for run in with_model if run.id == picked), None)


def runs_with_model(every: list | None = None) -> list:
    """The workspace's runs (or `every` given) whose model can be used now: not while training.
    No model is read: a returning learner's pages draw without waiting for TensorFlow."""
    return [run for run in (runs() if every is None else every) if not run.running and run.has_model]


def choose_active(run_id: int) -> None:
    workspace().set_active(run_id)


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
    if run.model is None:  # its file is there but cannot be read (damaged since it was saved)
        from ui.text import plain

        st.error(
            f"The model of {plain(run.name)} could not be read from its file. Choose another model, "
            "or train one on the Train page."
        )
        from ui import choice

        choice.model_choice_ui("broken_model_choice")
        st.stop()
    return run


def _train_lesson_model(data: Dataset) -> None:
    from fmnist.config import RunConfig

    refusal = start(RunConfig(), data)
    if refusal:
        st.toast(f"Not started: {refusal}", icon=":material/hourglass_top:")


def start(config, data: Dataset, wait_s: float = 0.0) -> str | None:
    """Start a run in this workspace; returns why it did not start, if it did not. With wait_s,
    waits up to that long for the run's first step, so the page drawn next shows it moving."""
    from fmnist.runs import TooManyRuns, start_run
    from fmnist.store import StoreError

    space = workspace()
    try:
        space.check_room()
        run = start_run(space.new_id(), config, data, space)
    except (TooManyRuns, StoreError) as refusal:
        return str(refusal)
    except OSError as error:
        return f"runs cannot be kept in {space.folder}: {error.strerror or error}"
    run.wait_for_first_step(wait_s)
    return None


def test_probabilities(run, data: Dataset):
    """(n_test, 10) probabilities of the run's model, computed once per run and session."""
    from fmnist.evaluate import predict_proba

    cache = derived(run)
    if "test_probabilities" not in cache:
        cache["test_probabilities"] = predict_proba(run.model, data.test.images)
    return cache["test_probabilities"]


def delete_run(run) -> None:
    """Forget a run: its files, and what was computed from it; a queued run leaves the queue."""
    from fmnist.runs import remove_queued

    if run.queued:
        if not remove_queued(run):
            st.toast("That run has just started: use Stop to end it.", icon=":material/play_arrow:")
            return
    else:
        workspace().delete(run.id)
    st.session_state.get(DERIVED_KEY, {}).pop(run.id, None)


def file_of(run, kind: str, make) -> bytes:
    """A run's downloadable file, made once: reruns do not save the model again."""
    files = derived(run).setdefault("files", {})
    if kind not in files:
        files[kind] = make()
    return files[kind]
