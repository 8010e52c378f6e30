"""The Explore page's tabs: each draws one view of the active model's test answers."""

from __future__ import annotations

from functools import partial

import numpy as np
import streamlit as st

from fmnist.charts import class_quality_bars, confusion_figure
from fmnist.data import CLASS_NAMES
from fmnist.evaluate import (
    class_quality,
    confusion_matrix,
    in_cell,
    mistakes,
    of_class,
    suspicious_labels,
    top_confusions,
)
from ui.gallery import gallery_ui, grid_ui, up_close_ui

GRID, GRID_CELL = 5, 160  # the lesson's 5 x 5 grid, each cell 160 pixels wide
CLOSER = "explore_index"  # the test picture on the Up close tab
CHOSEN_CELL = "explore_matrix_cell"  # (true class, predicted class) of the square clicked last
ANY = "any class"


def class_choice(label: str, key: str) -> int | None:
    """A class picked from a list that starts with 'any class' (None)."""
    name = st.selectbox(label, [ANY, *CLASS_NAMES], key=key)
    return None if name == ANY else CLASS_NAMES.index(name)


def lesson_grid_ui(probabilities, images, labels) -> None:
    """The lesson's grid of 25 test pictures; a new grid brings its first picture to Up close."""
    st.session_state.setdefault("explore_draw", 0)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        only = class_choice("True class", "explore_grid_class")
        if st.button("Draw another 25", icon=":material/casino:", key="explore_redraw"):
            st.session_state.explore_draw += 1
    pool = of_class(labels, only)
    rng = np.random.default_rng(st.session_state.explore_draw)
    picks = np.sort(rng.choice(pool, min(GRID * GRID, len(pool)), replace=False))
    if st.session_state.get("explore_grid_shown") != (only, st.session_state.explore_draw):
        st.session_state.explore_grid_shown = (only, st.session_state.explore_draw)
        st.session_state[CLOSER] = int(picks[0])
    grid_ui(picks, probabilities, images, labels, key="explore_grid", columns=GRID, cell=GRID_CELL)


def closer_ui(probabilities, images, labels) -> None:
    index = st.number_input("Test picture number (under each picture: #number)", 0, len(labels) - 1, key=CLOSER)
    up_close_ui(index, probabilities, images, labels, key="tab")


def mistakes_ui(probabilities, images, labels) -> None:
    wrong = mistakes(probabilities, labels)
    st.markdown(f"**{len(wrong):,} of {len(labels):,} test pictures are wrong.** The commonest mistakes:")
    st.markdown(
        "\n".join(
            f"- {CLASS_NAMES[t]} taken for {CLASS_NAMES[p]}: **{n}**"
            for t, p, n in top_confusions(probabilities, labels, 5)
        )
    )
    true_filter, predicted_filter = st.columns(2)
    with true_filter:
        true_class = class_choice("True class", "explore_mistakes_true")
    with predicted_filter:
        predicted_class = class_choice("Taken for", "explore_mistakes_predicted")
    filtered = mistakes(probabilities, labels, true_class, predicted_class)
    st.caption(f"{len(filtered):,} mistakes, the most confidently wrong first.")
    gallery_ui(filtered, probabilities, images, labels, key="explore_mistakes")


def matrix_ui(probabilities, images, labels) -> None:
    counts = confusion_matrix(labels, probabilities.argmax(axis=1))
    normalise = st.toggle("Share of each true class instead of counts", key="explore_matrix_normalise")
    st.caption(
        "Rows: the true class. Columns: the model's answer. The diagonal, in blues, is right; the mistakes are "
        "in reds. **Click a square** to see its pictures."
    )
    chosen = st.session_state.get(CHOSEN_CELL)
    clicks = st.session_state.setdefault("explore_matrix_clicks", 0)
    chart_key = f"explore_matrix_{clicks}"  # a new chart after each click: plotly's fading of the rest goes
    st.plotly_chart(
        confusion_figure(counts, normalise, chosen),
        on_select=partial(_cell_clicked, chart_key),
        selection_mode="points",
        key=chart_key,
    )
    if chosen is not None:  # kept across the Share toggle and other tabs' reruns
        true_class, predicted_class = chosen
        cell = in_cell(probabilities, labels, true_class, predicted_class)
        st.markdown(
            f"**True {CLASS_NAMES[true_class]}, predicted {CLASS_NAMES[predicted_class]}: {len(cell)} pictures**"
        )
        gallery_ui(cell, probabilities, images, labels, key="explore_cell")


def _cell_clicked(chart_key: str) -> None:
    points = st.session_state[chart_key].selection.points
    if points:
        st.session_state[CHOSEN_CELL] = CLASS_NAMES.index(points[0]["y"]), CLASS_NAMES.index(points[0]["x"])
        st.session_state.explore_matrix_clicks += 1


def per_class_ui(probabilities, labels) -> None:
    quality = class_quality(probabilities, labels)
    order = np.argsort(quality["recall"])
    st.markdown(
        f"Weakest class: **{CLASS_NAMES[order[0]]}**, {quality['recall'][order[0]]:.0%} right. **Recall** is the "
        "share of a class's pictures the model gets right; **precision** the share of its answers for that "
        "class that are right."
    )
    st.dataframe(
        [
            {
                "class": CLASS_NAMES[i],
                "accuracy (recall)": quality["recall"][i],
                "precision": quality["precision"][i],
                "test pictures": int(quality["count"][i]),
            }
            for i in order
        ],
        column_config={
            "accuracy (recall)": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1),
            "precision": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1),
        },
        hide_index=True,
        key="explore_quality_table",
    )
    st.plotly_chart(class_quality_bars(quality["recall"], quality["precision"]), key="explore_quality_chart")


def suspicious_ui(probabilities, images, labels) -> None:
    confidence = st.slider("At least this sure", 0.90, 0.999, 0.99, step=0.001, format="%.3f", key="explore_suspicious")
    odd = suspicious_labels(probabilities, labels, confidence)
    st.markdown(
        f"**{len(odd)} test pictures** the model puts in another class at least {confidence:.1%} sure. Some are the "
        "model's mistakes; some are labelling mistakes (Fashion-MNIST has a few). Judge for yourself: the caption "
        "gives the model's answer, then the label in brackets."
    )
    gallery_ui(odd, probabilities, images, labels, key="explore_odd")
