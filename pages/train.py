from ui import nav

nav.enter_through_app()  # before the heavy imports below: see ui/nav.py

import streamlit as st

from ui import state
from ui import train as parts
from ui.text import plain

st.title("Train")
st.markdown(
    "Train the lesson's model and change it. The model learns from the **training** pictures and is "
    "checked after every epoch on the **test** pictures, which it never learns from: that is how we "
    "know it works on pictures it has not seen."
)

data = state.dataset_or_stop()
runs = state.runs()
busy = any(run.under_way for run in runs)
# The live view's run: the one training, else the next waiting, else the newest.
shown = next(
    (run for run in runs if run.running), next((run for run in runs if run.queued), runs[-1] if runs else None)
)

parts.settings_from_link()  # before anything reads the settings
parts.presets_ui()
parts.all_experiments_ui(data)
controls, live = st.columns([1, 2], gap="large")
with controls:  # the Train button first: beside the progress and Stop, above the fold
    st.markdown(parts.settings_said(parts.current_settings()))
    st.button(
        "Train",
        type="primary",
        key="train_start",
        width="stretch",
        icon=":material/play_arrow:",
        on_click=parts.start_training,
        args=(data,),
    )
    if "train_refused" in st.session_state:
        st.warning(f"Not started: {st.session_state.train_refused}", icon=":material/hourglass_top:")
    if notice := state.cluster_notice():
        st.warning(f"Note: {plain(notice)}.", icon=":material/lan:")
    if busy:
        st.caption(
            "Training runs in the background: the other pages stay usable, and you can come back. "
            "Press **Train** again to queue another run: your runs train one after the other."
        )
    parts.queue_ui(runs)
    if (active := state.active_run()) is not None:
        st.caption(f"Explore and Classify keep using {plain(active.name)} until you choose another.")
    config = parts.settings_ui()
    parts.model_summary_ui(config)
    st.caption(f"Data: {plain(data.source)}")

with live:
    st.fragment(parts.live_view_ui, run_every=0.5 if busy else None)(shown, busy, data)
    st.fragment(parts.live_charts_ui, run_every=parts.CHARTS_EVERY_S if busy else None)(shown, data)

st.divider()
st.header("Runs")
if runs or state.broken_runs():
    parts.runs_ui(runs, shown)
else:
    st.caption("Every run you train (or load) appears here, to compare, download, or use on the other pages.")

with st.expander("Load a model from a .keras file"):
    parts.load_model_ui(data)
parts.presses_drawn()  # last: a Train press from now on is a new one
