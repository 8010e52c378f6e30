"""The Inside page's parts: what each unit looks for, one picture layer by layer, a map of the
test pictures. fmnist/inside.py and fmnist/maps.py compute; this draws."""

from __future__ import annotations

import numpy as np
import streamlit as st

from fmnist import inside, maps
from fmnist.charts import class_map, probability_bars, strongest_paths, unit_activations
from fmnist.data import CLASS_NAMES
from fmnist.tiles import activation_mosaic, enlarge, mosaic
from ui import state
from ui.text import plain

PAGE_UNITS, COLUMNS, SCALE = 128, 16, 2  # units drawn at once, a row, and 28 -> 56 pixels each
CHANGED, AS_THEY_ARE = "What training changed", "The weights as they are"
AS_BUILT = "as built"
PICTURE = "inside_picture"  # the test picture walked through the model
TEST_PICTURE = "A test picture"
RAW_MAPS = "inside_raw_maps"  # method -> the map of the raw pixels, the same for every model


def model_named(run, what: str) -> bool:
    """Names the finished model a tab shows and returns True; without one (the first run is
    still training), says `what` needs one and returns False."""
    if run is None:
        st.info(f"{what} needs a trained model: this fills in when the run ends.", icon=":material/hourglass_top:")
        return False
    st.caption(f"Model: {plain(run.name)}")
    return True


def units_ui(run, data, live: bool) -> None:
    """The first hidden layer's units as pictures (an MLP), or the convolution filters (a CNN)."""
    model = run.model_so_far
    if model is None:
        st.info("Building the model…", icon=":material/hourglass_top:")
        return
    if not inside.reads_pixels(model):
        filters_ui(model)
        return
    pictures = inside.unit_pictures(model)
    start = run.starting_units()
    shown = AS_THEY_ARE
    if start is not None and start.shape == pictures.shape:
        shown = st.segmented_control(
            "Show",
            [CHANGED, AS_THEY_ARE],
            default=CHANGED,
            required=True,
            key="inside_units_shown",
            help="Every unit starts as random noise. What it learns is added on top: 'What training changed' "
            "takes the starting noise away, so the templates stand out.",
        )
    if shown == CHANGED:
        pictures = pictures - start
    order = np.arange(len(pictures))
    if not live:
        order = _ordered(run, model, data, order)
    pages = -(-len(order) // PAGE_UNITS)
    page = 0
    if pages > 1:
        page = st.segmented_control(
            "Units",
            list(range(pages)),
            default=0,
            required=True,
            format_func=lambda p: f"{p * PAGE_UNITS + 1}-{min(len(order), (p + 1) * PAGE_UNITS)}",
            key=f"inside_units_page_{len(order)}",
        )
    picked = order[page * PAGE_UNITS : (page + 1) * PAGE_UNITS]
    st.image(mosaic(pictures[picked], COLUMNS, SCALE), caption=_units_caption(picked, order, live))
    st.caption(
        "Each square is one unit of the first hidden layer: its 784 weights, one per pixel, where the pixel is. "
        "**Red**: brightness there makes the unit fire. **Blue**: brightness there holds it back. "
        "Each square is scaled to its own strongest weight."
        + (" Shown: the weights less the random ones the run started from." if shown == CHANGED else "")
    )


def _ordered(run, model, data, order: np.ndarray) -> np.ndarray:
    names = [AS_BUILT, *(f"most important for {name}" for name in CLASS_NAMES)]
    choice = st.selectbox(
        "Order",
        names,
        key="inside_units_order",
        help="A unit's importance for a class: how much it adds, on average, to that class's score over the "
        "test pictures of that class (its activation times its effect on the score).",
    )
    if choice == AS_BUILT:
        return order
    cache = state.derived(run)
    if "unit_importance" not in cache:
        cache["unit_importance"] = inside.unit_importance(model, data.test.images, data.test.labels)
    return np.argsort(-cache["unit_importance"][names.index(choice) - 1], kind="stable")


def _units_caption(picked: np.ndarray, order: np.ndarray, live: bool) -> str:
    if live:
        return f"Units {picked[0] + 1}-{picked[-1] + 1} of {len(order)}, as they are now, left to right"
    if np.array_equal(order, np.arange(len(order))):
        return f"Units {picked[0] + 1}-{picked[-1] + 1} of {len(order)}, left to right"
    shown = ", ".join(str(unit + 1) for unit in picked[:8])
    return f"Most important first: units {shown}, …"


def filters_ui(model) -> None:
    for layer in inside.convolutions(model):
        weights = inside.filters(layer)  # (filters, inputs, k, k)
        count, inputs = weights.shape[:2]
        st.markdown(f"**{layer.name}**: {count} filters of {weights.shape[2]} x {weights.shape[3]} pixels")
        if inputs == 1:
            st.image(mosaic(weights[:, 0], 16, 12, gap=3), caption="each filter as the patch of picture it looks for")
        else:
            flat = weights.reshape(count * inputs, *weights.shape[2:])
            st.image(
                mosaic(flat, inputs, 4, gap=1),
                caption=f"one row per filter ({count}), one square per map before it ({inputs}) that it reads",
            )
    st.caption(
        "**Red**: brightness there makes the filter fire; **blue** holds it back. A convolution slides each "
        "filter over the whole picture, so it finds its edge or corner wherever it is."
    )


# --- one picture through the model -----------------------------------------------------------


def picture_choice_ui(data) -> tuple[np.ndarray | None, int | None]:
    """The picture to walk through the model, (28, 28) in 0..255, and its true class if known:
    a test picture (at first the one last seen up close on Explore), or the learner's own
    drawing or upload from Classify, prepared as Classify prepares it. (None, None) when the
    learner's picture has nothing to classify."""
    yours = _your_pictures()
    source = TEST_PICTURE
    if yours:
        source = st.radio("Picture", [TEST_PICTURE, *yours], horizontal=True, key="inside_source")
    if source == TEST_PICTURE:
        st.session_state.setdefault(PICTURE, int(st.session_state.get("explore_index", 0)))
        index = st.number_input("Test picture number (as on Explore)", 0, len(data.test.labels) - 1, key=PICTURE)
        return data.test.images[index], int(data.test.labels[index])
    prepared = yours[source]()
    if prepared is None or prepared.blank:
        st.info("Classify found nothing to classify in that picture.", icon=":material/image_not_supported:")
        return None, None
    st.caption("As Classify prepares it, without its averaging over a few views: the answer may differ a little.")
    return prepared.pixels, None


def _your_pictures() -> dict:
    """Label -> a function preparing the learner's drawing or upload kept by the Classify page."""
    from PIL import Image

    from fmnist.preprocess import ImageError, open_image, to_model_input
    from ui.classify import DRAWING_KEPT, UPLOADS_KEPT

    def prepared(make):
        try:
            return make()
        except ImageError:
            return None

    yours = {}
    drawing, pixels = st.session_state.get(DRAWING_KEPT, (None, None))
    if pixels is not None and (drawing or {}).get("objects"):
        yours["Your drawing"] = lambda: prepared(lambda: to_model_input(Image.fromarray(pixels).convert("RGBA"), True))
    for name, data, _ in st.session_state.get(UPLOADS_KEPT, [])[:5]:
        label = f"Your upload: {plain(name[:30])}"
        yours[label] = lambda data=data: prepared(lambda: to_model_input(open_image(data), None))
    return yours


def walk_ui(model, pixels: np.ndarray, true_label: int | None) -> None:
    journey = inside.walk(model, pixels)
    answer = journey.answer
    verdict = ""
    if true_label is not None:
        verdict = " (right)" if answer == true_label else f" (wrong: it is a {CLASS_NAMES[true_label]})"
    st.markdown(
        f"The model says **{CLASS_NAMES[answer]}**, {journey.probabilities[answer]:.0%}{verdict}. "
        "From the picture, left, to the answer, right:"
    )
    if inside.convolutions(model):
        _cnn_walk_ui(model, pixels, journey, true_label)
    else:
        _dense_walk_ui(model, pixels, journey, true_label)


def _dense_walk_ui(model, pixels, journey, true_label) -> None:
    on_path = {}
    for path in journey.paths:
        on_path.setdefault(path.from_stage + 1, set()).add(path.target)
    picture, paths = st.columns([1, 3], gap="medium")
    with picture:
        st.image(enlarge(pixels, 6), caption="the picture: 784 pixels")
    with paths:
        nodes, links = _sankey(journey)
        st.plotly_chart(strongest_paths(nodes, links), key="inside_paths")
        st.caption(
            "The strongest paths: at each layer, the few units that add most to the answer (their activation "
            "times their weight to the next layer). Thicker means more."
        )
    hidden = [stage for stage in journey.stages if stage.kind == "dense"]
    for index, stage in enumerate(hidden):
        firing = int((stage.values > 0).sum())
        st.markdown(f"**{stage.name}**: {firing} of {len(stage.values)} units fire for this picture")
        st.plotly_chart(
            unit_activations(stage.values, sorted(on_path.get(index, ()))), key=f"inside_activations_{stage.name}"
        )
    first_units = sorted(on_path.get(0, ()), key=lambda unit: -hidden[0].values[unit])
    if first_units:
        st.markdown("**What the strongest first-layer units saw**: the picture times each unit's weights")
        seen = inside.what_the_units_saw(model, pixels, first_units)
        st.image(mosaic(seen, len(seen), 4, gap=4), caption=", ".join(f"unit {unit + 1}" for unit in first_units))
    _answer_ui(journey, true_label)


def _answer_ui(journey, true_label) -> None:
    st.markdown("**The answer**: the output layer's ten probabilities, after softmax")
    st.plotly_chart(probability_bars(journey.probabilities, true_label=true_label), key="inside_walk_bars")


def _sankey(journey) -> tuple[list[str], list[tuple[int, int, float]]]:
    """Node labels and links for `strongest_paths`: the picture, each stage's units on the
    paths, the answer."""
    stages = journey.stages
    names: dict[tuple[int, int], int] = {(-1, 0): 0}
    nodes = ["the picture"]

    def node(stage: int, unit: int) -> int:
        if (stage, unit) not in names:
            names[(stage, unit)] = len(nodes)
            if stages[stage].kind == "output":
                nodes.append(f"{CLASS_NAMES[unit]} {stages[stage].values[unit]:.0%}")
            else:
                nodes.append(f"{stages[stage].name} unit {unit + 1}")
        return names[(stage, unit)]

    links = [
        (node(p.from_stage, p.source) if p.from_stage >= 0 else 0, node(p.from_stage + 1, p.target), p.strength)
        for p in journey.paths
    ]
    return nodes, links


def _cnn_walk_ui(model, pixels, journey, true_label) -> None:
    convolutions = {layer.name: layer for layer in inside.convolutions(model)}
    st.image(enlarge(pixels, 6), caption="the picture: 28 x 28 pixels")
    for stage in journey.stages[:-1]:
        height, width, count = stage.values.shape
        kind = "convolution" if stage.kind == "conv" else "max-pooling (the largest of each 2 x 2)"
        st.markdown(f"**{stage.name}**, {kind}: {count} maps of {height} x {width}")
        maps_column, filters_column = st.columns([3, 2], gap="medium")
        with maps_column:
            columns = 16 if count > 32 else 8
            st.image(
                activation_mosaic(stage.values, columns, scale=max(1, 78 // height)),
                caption="each map bright where its filter found its pattern in this picture",
            )
        if stage.name in convolutions:
            with filters_column:
                weights = inside.filters(convolutions[stage.name])
                if weights.shape[1] == 1:
                    st.image(mosaic(weights[:, 0], 8, 10, gap=3), caption="the filters, in the same order")
                else:
                    st.caption(
                        f"Each of these {count} filters reads all {weights.shape[1]} maps before it: see them on "
                        "the 'What each unit looks for' tab."
                    )
    _answer_ui(journey, true_label)


# --- the map of the test pictures -----------------------------------------------------------


def map_ui(run, data, method: str) -> int | None:
    """Two maps side by side, the raw pixels and the model's last hidden layer; returns the test
    picture clicked on either, if any."""
    images, labels = data.test.images, data.test.labels
    picks = maps.sample(len(labels)) if method == "t-SNE" else np.arange(len(labels))
    predicted = state.test_probabilities(run, data).argmax(axis=1)
    raw = st.session_state.setdefault(RAW_MAPS, {})
    cache = state.derived(run)
    if (method, len(labels)) not in raw or ("map", method) not in cache:
        with st.status(f"Placing {len(picks):,} test pictures by {method}…", expanded=True) as status:
            if (method, len(labels)) not in raw:
                st.write("the raw pixels…")
                raw[(method, len(labels))] = _project(maps.pixel_features(images[picks]), method)
            if ("map", method) not in cache:
                st.write("what the model's last hidden layer makes of them…")
                cache[("map", method)] = _project(maps.hidden_features(run.model, images[picks]), method)
            status.update(label=f"{len(picks):,} test pictures placed", state="complete", expanded=False)
    clicked = None
    for column, (title, points, key) in zip(
        st.columns(2, gap="medium"),
        (
            ("The raw pixels", raw[(method, len(labels))], "inside_map_raw"),
            ("What the model's last hidden layer makes of them", cache[("map", method)], "inside_map_model"),
        ),
        strict=True,
    ):
        with column:
            agree = maps.neighbours_agree(points, labels[picks])
            st.markdown(f"**{title}**  \nnearest neighbour of the same class: **{agree:.0%}**")
            event = st.plotly_chart(
                class_map(points, labels[picks], predicted[picks], picks),
                key=f"{key}_{method}",
                on_select="rerun",
                selection_mode="points",
            )
            for point in event.selection.points if event and event.selection else []:
                clicked = int(point["customdata"][0])
    return clicked


def _project(features: np.ndarray, method: str) -> np.ndarray:
    return maps.tsne(features) if method == "t-SNE" else maps.pca(features)
