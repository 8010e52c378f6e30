from ui import nav

nav.enter_through_app()  # before the heavy imports below: see ui/nav.py

import streamlit as st

from fmnist.data import CLASS_NAMES
from fmnist.tiles import enlarge
from ui import choice, state
from ui import inside as parts
from ui.text import plain

st.title("Inside the model")
st.markdown(
    "What the model learned, not only what it answers: what each hidden unit looks for, what one picture "
    "does to every layer, and how the model's view pulls the ten classes apart."
)

data = state.dataset_or_stop()
training = next((run for run in state.runs() if run.running), None)
if training is None:
    run = state.model_or_stop(data)
    choice.model_choice_ui("inside_model", label="Model")
else:
    run = state.active_run()

units, journey, atlas = st.tabs(
    ["What each unit looks for", "One picture, layer by layer", "Map of the test pictures"],
    key="inside_tab",
    on_change="rerun",  # only the open tab is computed
)

if units.open:
    with units:
        if training is not None:
            st.markdown(f"**{plain(training.name)}** is training: its units change as it learns.")

            @st.fragment(run_every=1.0)
            def live_units() -> None:
                if not training.running:
                    st.rerun()  # it ended: the page shows it as a finished model
                training.seen()
                progress = training.progress
                if progress is not None:
                    st.progress(progress.fraction, text=f"Epoch {progress.epoch}/{progress.epochs}")
                parts.units_ui(training, data, live=True)

            live_units()
        else:
            st.markdown(f"**{plain(run.name)}**")
            parts.units_ui(run, data, live=False)

if journey.open:
    with journey:
        if parts.model_named(run, "Walking a picture through the model"):
            pixels, true_label = parts.picture_choice_ui(data)
            if pixels is not None:
                parts.walk_ui(run.model, pixels, true_label)

if atlas.open:
    with atlas:
        if parts.model_named(run, "The map"):
            method = st.segmented_control(
                "Placed by",
                ["PCA", "t-SNE"],
                default="PCA",
                required=True,
                key="inside_map_method",
                help="PCA: the two directions along which the pictures differ most; exact and fast. t-SNE: keeps "
                "each picture near its nearest neighbours; slower, so it maps a sample of 2,000.",
            )
            clicked = parts.map_ui(run, data, method)
            st.caption(
                "Each dot is a test picture, coloured by its true class; a cross is one the model gets wrong. "
                "Click a dot to see the picture; click a class in the legend to hide it."
            )
            if clicked is not None:
                truth = int(data.test.labels[clicked])
                st.image(enlarge(data.test.images[clicked], 5), caption=f"#{clicked}: {CLASS_NAMES[truth]}")
