"""The Explore page's tabs: each draws one view of the active model's test answers."""

from __future__ import annotations

import numpy as np
import streamlit as st

from fmnist.charts import class_quality_bars, confusion_figure, probability_bars
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
from fmnist.tiles import enlarge
from ui.gallery import gallery_ui, grid_ui

GRID = 5  # the lesson's 5 x 5 grid
ANY = "any class"


def class_choice(label: str, key: str) -> int | None:
    """A class picked from a list that starts with 'any class' (None)."""
    name = st.selectbox(label, [ANY, *CLASS_NAMES], key=key)
    return None if name == ANY else CLASS_NAMES.index(name)


def lesson_grid_ui(probabilities, images, labels) -> np.ndarray:
    """The lesson's grid of 25 test pictures; returns the pictures shown."""
    st.session_state.setdefault("explore_draw", 0)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        only = class_choice("True class", "explore_grid_class")
        if st.button("Draw another 25", icon=":material/casino:", key="explore_redraw"):
            st.session_state.explore_draw += 1
    pool = of_class(labels, only)
    rng = np.random.default_rng(st.session_state.explore_draw)
    picks = np.sort(rng.choice(pool, min(GRID * GRID, len(pool)), replace=False))
    grid_ui(picks, probabilities, images, labels, columns=GRID)
    return picks


def closer_ui(probabilities, images, labels, first: int) -> None:
    index = st.number_input(
        "Test picture number (under each picture: #number)", 0, len(labels) - 1, int(first), key="explore_index"
    )
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
        st.plotly_chart(probability_bars(probabilities[index], true_label=truth), key="explore_closer_bars")


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
        "Rows: the true class. Columns: the model's answer. The diagonal is right. "
        "**Click a square** to see its pictures."
    )
    event = st.plotly_chart(
        confusion_figure(counts, normalise), on_select="rerun", selection_mode="points", key="explore_matrix"
    )
    points = event.selection.points if event and event.selection else []
    if points:
        true_class, predicted_class = CLASS_NAMES.index(points[0]["y"]), CLASS_NAMES.index(points[0]["x"])
        cell = in_cell(probabilities, labels, true_class, predicted_class)
        st.markdown(
            f"**True {CLASS_NAMES[true_class]}, predicted {CLASS_NAMES[predicted_class]}: {len(cell)} pictures**"
        )
        gallery_ui(cell, probabilities, images, labels, key="explore_cell")


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
