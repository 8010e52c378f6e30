from ui import nav

nav.enter_through_app()  # before the heavy imports below: see ui/nav.py

import numpy as np
import streamlit as st

from fmnist.evaluate import accuracy
from ui import state
from ui.images import enlarge

GRID = 5  # the lesson's 5 x 5 grid

st.title("Explore")
st.markdown(
    "The lesson's grid: 25 pictures from the **test set**, which the model never saw in training. "
    "Under each, the model's answer and its confidence, then the true class in brackets: "
    ":blue[blue when right], :red[red when wrong]."
)

data = state.dataset_or_stop()
run = state.model_or_stop()
probabilities = state.test_probabilities(run, data)
predicted = probabilities.argmax(axis=1)
st.caption(
    f"Model {run.name} · test accuracy {accuracy(probabilities, data.test.labels):.1%} on {len(data.test):,} pictures"
)

if "explore_draw" not in st.session_state:
    st.session_state.explore_draw = 0
if st.button("Draw another 25", icon=":material/casino:", key="explore_redraw"):
    st.session_state.explore_draw += 1
rng = np.random.default_rng(st.session_state.explore_draw)
picks = np.sort(rng.choice(len(data.test), GRID * GRID, replace=False))

for row in range(GRID):
    for column, index in zip(st.columns(GRID), picks[row * GRID : (row + 1) * GRID], strict=True):
        guess, truth = int(predicted[index]), int(data.test.labels[index])
        colour = "blue" if guess == truth else "red"
        with column:
            st.image(enlarge(data.test.images[index]), use_container_width=True)
            st.markdown(
                f":{colour}[**{data.class_names[guess]}** {probabilities[index, guess]:.0%} "
                f"({data.class_names[truth]})]"
            )
