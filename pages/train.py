from ui import nav

nav.enter_through_app()  # before the heavy imports below: see ui/nav.py

import math

import streamlit as st

from fmnist.charts import class_accuracy_bars, runs_overlay, training_curves
from fmnist.data import CLASS_NAMES
from fmnist.export import history_csv, model_bytes, model_from_bytes
from fmnist.model import ModelError
from fmnist.runs import TooManyRuns, loaded_run, start_run
from ui import compat, state
from ui.text import plain
from ui.training import model_summary_ui, presets_ui, runs_table_ui, settings_from_widgets, settings_ui

st.title("Train")
st.markdown(
    "Train the lesson's model and change it. The model learns from the **training** pictures and is "
    "checked after every epoch on the **test** pictures, which it never learns from: that is how we "
    "know it works on pictures it has not seen."
)

data = state.dataset_or_stop()
runs = state.runs()
latest = runs[-1] if runs else None
busy = any(run.running for run in runs)  # a model loaded meanwhile is newer, and training goes on
shown = next((run for run in reversed(runs) if run.running), latest)  # the live view: the run training


def start_training() -> None:
    # Button callbacks run before the script, with the widgets' new values in session state,
    # so this very rerun already draws the new run and a disabled Train button.
    try:
        state.add_run(start_run(state.next_run_id(), settings_from_widgets(), data))
        st.session_state.pop("train_refused", None)
    except TooManyRuns as refusal:
        st.session_state.train_refused = str(refusal)


presets_ui()
controls, live = st.columns([1, 2], gap="large")

with controls:
    config = settings_ui()
    model_summary_ui(config)
    st.button("Train", type="primary", disabled=busy, key="train_start", width="stretch", on_click=start_training)
    if "train_refused" in st.session_state:
        st.warning(f"Not started: {st.session_state.train_refused}", icon=":material/hourglass_top:")
    if busy:
        st.caption("Training runs in the background: the other pages stay usable, and you can come back.")
    st.caption(f"Data: {plain(data.source)}")


@st.fragment(run_every=0.5 if busy else None)
def live_view(run, ticking: bool) -> None:
    if run is None:
        st.info("Press **Train** to train the lesson's model. On the 8k-image folder it takes a few seconds.")
        return
    if ticking and not run.running:
        st.rerun()  # the run just ended: redraw the whole page (results, runs table, Train button)
    run.seen()
    st.subheader(plain(run.name))
    if run.running:
        progress = run.progress
        if progress is None:
            st.progress(0.0, text="Building the model…")
        else:
            seconds_left = progress.seconds_left
            left = "starting…" if math.isnan(seconds_left) else f"about {seconds_left:.0f} s left"
            st.progress(
                progress.fraction, text=f"Epoch {progress.epoch}/{progress.epochs} · {progress.fraction:.0%} · {left}"
            )
        st.button("Stop", key=f"train_stop_{run.id}", on_click=run.stop, icon=":material/stop_circle:")
    elif run.status == "failed":
        st.error(f"Training failed: {run.result.error}")
    else:
        ended = "finished" if run.status == "finished" else run.stop_reason or "stopped early"
        st.success(
            f"Run {ended}: **test accuracy {run.test_accuracy:.1%}** on {len(data.test):,} pictures the model "
            f"never trained on, after {run.result.epochs_done} epoch(s) in {run.result.seconds:.1f} s."
        )
    epochs = run.config.epochs if run.config else None
    st.plotly_chart(training_curves(run.history, run.live, epochs), key=f"train_curves_{run.id}")
    st.caption(
        "Solid: the training pictures, as the model learns. Dashed: the test pictures, after each epoch. "
        "When test stops improving while train keeps going, the model is **overfitting**: learning its "
        "training pictures by heart. Dotted: published accuracies on the full test set, for scale."
    )
    if run.class_accuracy:
        latest_classes = run.class_accuracy[-1]
        weakest = min(range(len(CLASS_NAMES)), key=latest_classes.__getitem__)
        st.markdown(
            f"**Test accuracy per class** after epoch {len(run.class_accuracy)}: "
            f"weakest is {CLASS_NAMES[weakest]} ({latest_classes[weakest]:.0%})."
        )
        st.plotly_chart(class_accuracy_bars(latest_classes), key=f"train_classes_{run.id}")


with live:
    live_view(shown, busy)

st.divider()
st.header("Runs")
if not runs:
    st.caption("Every run you train (or load) appears here, to compare, download, or use on the other pages.")
else:
    selected = runs_table_ui(runs)
    st.caption("Click a column to sort. Select rows to compare their curves, download or delete them.")
    compared = selected or [run for run in runs if run.history][-8:]
    if compared:
        st.plotly_chart(runs_overlay([(run.name, run.history) for run in compared]), key="train_overlay")

    with_model = [run for run in runs if run.model is not None]
    if with_model:
        ids, active = [run.id for run in with_model], state.active_run().id
        # Read here, not in an on_change callback: Streamlit can still fire the callback of an
        # earlier copy of this widget with the browser's older choice (seen when leaving this
        # page after a run ended), which switched the model back. A new widget for each active
        # model; a different pick makes it active and redraws the page (and the sidebar above).
        picked = st.selectbox(
            "Model used by Explore and Classify",
            ids,
            index=ids.index(active),
            format_func=lambda run_id: next(run.name for run in with_model if run.id == run_id),
            key=f"train_active_{active}",
        )
        if picked != active:
            st.session_state[state.ACTIVE_KEY] = picked
            st.rerun()

    for run in selected or [shown]:  # without a selection: the run shown above
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(f"**{plain(run.name)}**")
            if run.model is not None and not run.running:
                st.download_button(
                    "Model (.keras)",
                    data=state.file_of(run, "model", lambda r=run: model_bytes(r.model)),
                    file_name=f"fmnist-run-{run.id}.keras",
                    key=f"train_download_model_{run.id}",
                    icon=":material/download:",
                )
            if run.history:
                st.download_button(
                    "History (.csv)",
                    data=history_csv(run.history, run.class_accuracy),
                    file_name=f"fmnist-run-{run.id}.csv",
                    mime="text/csv",
                    key=f"train_download_history_{run.id}",
                    icon=":material/download:",
                )
            st.button(
                "Delete",
                key=f"train_delete_{run.id}",
                on_click=state.delete_run,
                args=(run,),
                disabled=run.running,
                icon=":material/delete:",
            )

with st.expander("Load a model from a .keras file"):
    upload = st.file_uploader(
        "A Keras model of 28 x 28 pixels to ten classes",
        type=["keras"],
        max_upload_size=compat.MODEL_LIMIT_MB,
        key="train_load",
    )
    if upload is not None and st.session_state.get("train_loaded") != upload.file_id:
        try:
            model = model_from_bytes(upload.getvalue(), upload.name)
        except ModelError as error:
            st.error(plain(error), icon=":material/error:")
        else:
            state.add_run(loaded_run(state.next_run_id(), model, upload.name, data))
            st.session_state.train_loaded = upload.file_id
            st.rerun()
