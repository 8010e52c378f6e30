from ui import nav

nav.enter_through_app()  # before the heavy imports below: see ui/nav.py

import math

import streamlit as st

from fmnist.charts import training_curves
from fmnist.config import RunConfig
from fmnist.runs import start_run
from ui import state

st.title("Train")
st.markdown(
    "Train the lesson's model: **Flatten** turns each 28 x 28 picture into 784 numbers, a "
    "**Dense** hidden layer with **relu** learns features from them, and a **softmax** layer "
    "gives ten class probabilities. Each **epoch** is one pass over every training picture."
)

data = state.dataset_or_stop()
runs = state.runs()
latest = runs[-1] if runs else None
busy = latest is not None and latest.running


def settings_from_controls() -> RunConfig:
    return RunConfig(hidden_units=(st.session_state.train_units,), epochs=st.session_state.train_epochs)


def start_training() -> None:
    # A button callback runs before the script, with the widgets' new values in session
    # state, so this very rerun already draws the run and a disabled Train button.
    state.add_run(start_run(state.next_run_id(), settings_from_controls(), data))


controls, live = st.columns([1, 2], gap="large")

with controls:
    st.slider("Epochs", 1, 50, 5, key="train_epochs", help="Passes over all training pictures. The lesson uses 5.")
    st.slider(
        "Hidden units",
        10,
        512,
        128,
        key="train_units",
        help="Size of the hidden layer. The lesson uses 128; try 10 and 512.",
    )
    config = settings_from_controls()
    st.caption(f"{config.describe()} · {config.params:,} parameters · data: {data.source}")
    st.button(
        "Train", type="primary", disabled=busy, key="train_start", use_container_width=True, on_click=start_training
    )
    if busy:
        st.caption("Training runs in the background: other pages stay usable.")


@st.fragment(run_every=0.5 if busy else None)
def live_view(run, ticking: bool) -> None:
    if run is None:
        st.info("Press **Train** to train the lesson's model. A run on the 8k-image folder takes a few seconds.")
        return
    if ticking and not run.running:
        st.rerun()  # the run just ended: redraw the whole page (results, sidebar, Train button)
    st.subheader(run.name)
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
        if st.button("Stop", key=f"train_stop_{run.id}"):
            run.stop()
    elif run.result.test_accuracy is not None:
        status = "stopped early" if run.status == "stopped" else "finished"
        st.success(
            f"Run {status}: **test accuracy {run.result.test_accuracy:.1%}** on {len(data.test):,} pictures "
            f"the model never trained on, after {run.result.epochs_done} epoch(s) in {run.result.seconds:.1f} s."
        )
    else:
        st.error(f"Training failed: {run.result.error}")
    if run.history:
        st.plotly_chart(training_curves(run.history), key=f"train_curves_{run.id}")
        st.caption(
            "Dashed: the test pictures, measured after each epoch. When test falls behind train "
            "and the gap grows, the model is overfitting."
        )


with live:
    live_view(latest, busy)

if runs:
    st.subheader("Runs")
    st.dataframe(
        [
            {
                "run": run.id,
                "settings": run.config.describe(),
                "status": run.status,
                "test accuracy": run.result.test_accuracy if run.result else None,
                "seconds": round(run.result.seconds, 1) if run.result else None,
                "parameters": run.config.params,
            }
            for run in runs
        ],
        column_config={"test accuracy": st.column_config.NumberColumn(format="percent")},
        hide_index=True,
        key="train_runs_table",
    )
