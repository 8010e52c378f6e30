"""Grids of test pictures with the model's answers; a click on a picture opens it up close."""

from __future__ import annotations

from functools import partial

import numpy as np
import streamlit as st

from fmnist.charts import probability_bars
from fmnist.data import CLASS_NAMES
from fmnist.picture_grid import picture_at, picture_grid
from fmnist.tiles import enlarge

COLUMNS, CELL = 6, 133  # a gallery's pictures per row, and their cells' width in pixels (800 in all)
UP_CLOSE = "explore_up_close"  # the test picture a click asked to see up close
LEGEND = (
    "Under each picture, the model's answer and how sure it is, then (the true class) and the picture's "
    "number, :blue[blue when right], :red[red when wrong]. The ten bars are its probabilities for the classes "
    "in order, T-shirt/top on the left to Ankle boot on the right: :red[red] its answer, :blue[blue] and "
    "marked ▲ the true class. Point at a bar for its class and value; **click a picture** to see it up close."
)


def gallery_ui(indices: np.ndarray, probabilities: np.ndarray, images, labels, key: str, per_page: int = 24) -> None:
    """The images at indices, per_page at a time, with a control to page through them."""
    if len(indices) == 0:
        st.caption("No images here.")
        return
    pages = -(-len(indices) // per_page)
    page = 1
    if pages > 1:
        page = st.number_input(f"Page (of {pages})", 1, pages, 1, key=f"{key}_page")
    shown = indices[(page - 1) * per_page : page * per_page]
    grid_ui(shown, probabilities, images, labels, key=key)


def grid_ui(indices, probabilities: np.ndarray, images, labels, key: str, columns=COLUMNS, cell=CELL) -> None:
    """The pictures as one figure; a click on one opens it up close in a dialog."""
    st.caption(LEGEND)
    clicks = st.session_state.setdefault(f"{key}_clicks", 0)
    chart_key = f"{key}_{clicks}"  # a new chart after each click: the next click, even on the same picture, counts
    st.plotly_chart(
        picture_grid(indices, images, probabilities, labels, columns, cell),
        on_select=partial(_clicked, key, chart_key),
        selection_mode="points",
        key=chart_key,
        width="content",
        config={"displayModeBar": False},
    )
    if (index := st.session_state.pop(UP_CLOSE, None)) is not None:
        st.dialog(f"Test picture #{index}", width="large")(up_close_ui)(index, probabilities, images, labels, "dialog")


def _clicked(key: str, chart_key: str) -> None:
    index = picture_at(st.session_state[chart_key].selection.points)
    if index is not None:
        st.session_state[UP_CLOSE] = index
        st.session_state[f"{key}_clicks"] += 1


def up_close_ui(index: int, probabilities: np.ndarray, images, labels, key: str) -> None:
    """One test picture large, the model's answer in words and its ten probabilities."""
    picture, bars = st.columns([1, 2])
    with picture:
        st.image(enlarge(images[index], 10), caption=f"test picture #{index}")
    with bars:
        guess, truth = int(probabilities[index].argmax()), int(labels[index])
        verdict = "right" if guess == truth else "wrong"
        st.markdown(
            f"True class **{CLASS_NAMES[truth]}**; the model says **{CLASS_NAMES[guess]}** "
            f"({probabilities[index, guess]:.1%}): {verdict}."
        )
        st.plotly_chart(probability_bars(probabilities[index], true_label=truth), key=f"up_close_bars_{key}")
