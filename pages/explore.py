from ui import nav

nav.enter_through_app()  # before the heavy imports below: see ui/nav.py

import streamlit as st

from fmnist.evaluate import accuracy
from ui import choice, explore, state

st.title("Explore")
st.markdown(
    "What has the model learned, and where does it go wrong? Everything here is on the **test set**, "
    "pictures the model never saw in training."
)

data = state.dataset_or_stop()
run = state.model_or_stop(data)
probabilities = state.test_probabilities(run, data)
images, labels = data.test.images, data.test.labels
choice.model_choice_ui("explore_model", label="Model")
st.caption(f"Test accuracy {accuracy(probabilities, labels):.1%} on {len(labels):,} pictures.")

grid, closer, mistakes, matrix, per_class, suspicious = st.tabs(
    ["The lesson's grid", "Up close", "Mistakes", "Confusion matrix", "Per class", "Suspicious labels"]
)
with grid:
    explore.lesson_grid_ui(probabilities, images, labels)
with closer:
    explore.closer_ui(probabilities, images, labels)
with mistakes:
    explore.mistakes_ui(probabilities, images, labels)
with matrix:
    explore.matrix_ui(probabilities, images, labels)
with per_class:
    explore.per_class_ui(probabilities, labels)
with suspicious:
    explore.suspicious_ui(probabilities, images, labels)
