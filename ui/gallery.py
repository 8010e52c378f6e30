"""Grids of test images with the model's answers, drawn as one picture per cell."""

from __future__ import annotations

import numpy as np
import streamlit as st

from fmnist.data import CLASS_NAMES
from fmnist.tiles import prediction_tile

COLUMNS = 8


def caption(index: int, probabilities: np.ndarray, label: int) -> str:
    """':blue[...]' when right, ':red[...]' when wrong: answer, confidence, (true class), number."""
    guess = int(probabilities.argmax())
    colour = "blue" if guess == label else "red"
    return f":{colour}[**{CLASS_NAMES[guess]}** {probabilities[guess]:.0%} ({CLASS_NAMES[label]})] #{index}"


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
    grid_ui(shown, probabilities, images, labels, columns=COLUMNS)


def grid_ui(indices, probabilities: np.ndarray, images, labels, columns: int) -> None:
    for start in range(0, len(indices), columns):
        row = indices[start : start + columns]
        for column, index in zip(st.columns(columns), row, strict=False):
            with column:
                st.image(prediction_tile(images[index], probabilities[index], int(labels[index])), width="stretch")
                st.markdown(caption(int(index), probabilities[index], int(labels[index])))
