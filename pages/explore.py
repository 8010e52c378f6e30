from ui import nav

nav.enter_through_app()  # before the heavy imports below: see ui/nav.py

import numpy as np
import streamlit as st

from fmnist.charts import class_quality_bars, confusion_figure, probability_bars
from fmnist.data import CLASS_NAMES
from fmnist.evaluate import accuracy, class_quality, confusion_matrix, misclassified, suspicious_labels, top_confusions
from fmnist.tiles import enlarge
from ui import state
from ui.gallery import gallery_ui, grid_ui
from ui.text import plain

GRID = 5  # the lesson's 5 x 5 grid
ANY = "any class"

st.title("Explore")
st.markdown(
    "What has the model learned, and where does it go wrong? Everything here is on the **test set**, "
    "pictures the model never saw in training. Under each picture: the model's answer and confidence, "
    "then the true class in brackets, :blue[blue when right], :red[red when wrong]; the little bars are "
    "its ten probabilities, the answer red and the true class blue."
)

data = state.dataset_or_stop()
run = state.model_or_stop(data)
probabilities = state.test_probabilities(run, data)
labels, images = data.test.labels, data.test.images
predicted = probabilities.argmax(axis=1)
st.caption(
    f"Model {plain(run.name)} · test accuracy {accuracy(probabilities, labels):.1%} on {len(labels):,} pictures "
    "· choose another model on the Train page"
)

grid, closer, mistakes, matrix, per_class, suspicious = st.tabs(
    ["The lesson's grid", "Up close", "Mistakes", "Confusion matrix", "Per class", "Suspicious labels"]
)

with grid:
    st.session_state.setdefault("explore_draw", 0)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        only = st.selectbox("True class", [ANY, *CLASS_NAMES], key="explore_grid_class")
        if st.button("Draw another 25", icon=":material/casino:", key="explore_redraw"):
            st.session_state.explore_draw += 1
    pool = np.arange(len(labels)) if only == ANY else np.flatnonzero(labels == CLASS_NAMES.index(only))
    rng = np.random.default_rng(st.session_state.explore_draw)
    picks = np.sort(rng.choice(pool, min(GRID * GRID, len(pool)), replace=False))
    grid_ui(picks, probabilities, images, labels, columns=GRID)

with closer:
    index = st.number_input(
        "Test picture number (under each picture: #number)", 0, len(labels) - 1, int(picks[0]), key="explore_index"
    )
    picture, bars = st.columns([1, 2])
    with picture:
        st.image(enlarge(images[index], 10), caption=f"test picture #{index}")
    with bars:
        guess, truth = int(predicted[index]), int(labels[index])
        verdict = "right" if guess == truth else "wrong"
        st.markdown(
            f"True class **{CLASS_NAMES[truth]}**; the model says **{CLASS_NAMES[guess]}** "
            f"({probabilities[index, guess]:.1%}): {verdict}."
        )
        st.plotly_chart(probability_bars(probabilities[index], true_label=truth), key="explore_closer_bars")

with mistakes:
    wrong = misclassified(probabilities, labels)
    st.markdown(f"**{len(wrong):,} of {len(labels):,} test pictures are wrong.** The commonest mistakes:")
    st.markdown(
        "\n".join(
            f"- {CLASS_NAMES[t]} taken for {CLASS_NAMES[p]}: **{n}**"
            for t, p, n in top_confusions(probabilities, labels, 5)
        )
    )
    true_filter, predicted_filter = st.columns(2)
    with true_filter:
        true_class = st.selectbox("True class", [ANY, *CLASS_NAMES], key="explore_mistakes_true")
    with predicted_filter:
        predicted_class = st.selectbox("Taken for", [ANY, *CLASS_NAMES], key="explore_mistakes_predicted")
    keep = np.ones(len(wrong), bool)
    if true_class != ANY:
        keep &= labels[wrong] == CLASS_NAMES.index(true_class)
    if predicted_class != ANY:
        keep &= predicted[wrong] == CLASS_NAMES.index(predicted_class)
    filtered = wrong[keep]
    st.caption(f"{len(filtered):,} mistakes, the most confidently wrong first.")
    gallery_ui(filtered, probabilities, images, labels, key="explore_mistakes")

with matrix:
    counts = confusion_matrix(labels, predicted)
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
        true_index, predicted_index = (CLASS_NAMES.index(points[0]["y"]), CLASS_NAMES.index(points[0]["x"]))
        cell = np.flatnonzero((labels == true_index) & (predicted == predicted_index))
        cell = cell[np.argsort(-probabilities[cell, predicted_index], kind="stable")]
        st.markdown(
            f"**True {CLASS_NAMES[true_index]}, predicted {CLASS_NAMES[predicted_index]}: {len(cell)} pictures**"
        )
        gallery_ui(cell, probabilities, images, labels, key="explore_cell")

with per_class:
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

with suspicious:
    confidence = st.slider("At least this sure", 0.90, 0.999, 0.99, step=0.001, format="%.3f", key="explore_suspicious")
    odd = suspicious_labels(probabilities, labels, confidence)
    st.markdown(
        f"**{len(odd)} test pictures** the model puts in another class at least {confidence:.1%} sure. Some are the "
        "model's mistakes; some are labelling mistakes (Fashion-MNIST has a few). Judge for yourself: the caption "
        "gives the model's answer, then the label in brackets."
    )
    gallery_ui(odd, probabilities, images, labels, key="explore_odd")
