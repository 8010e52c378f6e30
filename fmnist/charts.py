"""Plotly figures for the pages. Plain functions of numpy values; no Streamlit here."""

from __future__ import annotations

import copy
import functools
import html
import math

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from fmnist.compare import run_colour, run_dash
from fmnist.data import CLASS_NAMES

RIGHT, WRONG, NEUTRAL = "#1f77b4", "#d62728", "#9aa5b1"  # the lesson's blue and red, and grey


def probability_bars(
    probabilities: np.ndarray, true_label: int | None = None, height: int = 320, unsure: bool = False
) -> go.Figure:
    """Ten horizontal bars, the top class highlighted (not when unsure); the true class, if known, marked."""
    probabilities = np.asarray(probabilities, dtype=float)
    top = int(probabilities.argmax())
    colours = [NEUTRAL] * len(CLASS_NAMES)
    if not unsure:
        colours[top] = RIGHT if true_label in (None, top) else WRONG
    names = [name + ("  ◀ true" if i == true_label else "") for i, name in enumerate(CLASS_NAMES)]
    return _bars(probabilities, names, colours, "probability", height)


def _bars(values, names: list[str], colours: list[str], axis_title: str, height: int) -> go.Figure:
    """Horizontal bars of shares in [0, 1], labelled in percent, first name on top."""
    figure = go.Figure(
        go.Bar(
            x=list(values),
            y=names,
            orientation="h",
            marker_color=colours,
            text=[f"{value:.0%}" for value in values],
            textposition="outside",
            cliponaxis=False,  # "100%" beside a full bar is drawn whole, not cut to "100"
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
        )
    )
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 45, "t": 10, "b": 10},
        xaxis={"range": [0, 1.15], "tickformat": ".0%", "title": axis_title},
        yaxis={"autorange": "reversed"},
        showlegend=False,
    )
    return figure


# Test accuracy on the full 10,000-image Fashion-MNIST test set, for scale (Zalando's benchmark
# page and the lesson). They compare with a test curve only, never a training one.
REFERENCE_ACCURACY = {
    "human": 0.835,
    "the lesson's MLP": 0.88,
    "two-conv CNN": 0.916,
    "best published": 0.967,
}
TRAIN_COLOUR, TEST_COLOUR = RIGHT, "#ff7f0e"


def training_curves(
    history: dict[str, list[float]],
    live: list[tuple[float, float, float]] = (),
    epochs: int | None = None,
    height: int = 340,
) -> go.Figure:
    """Loss and accuracy: training as it goes (solid), test after each epoch (dashed, dots).

    live holds (epochs done, running loss, running accuracy) points from inside epochs, so the
    training curves move while an epoch is still running. Beside the accuracy panel, published
    test accuracies on the full test set, for the test curve.

    Drawn twice a second for each learner watching a run, in the web server: the frame (two
    panels, axes, notes) is built and checked by Plotly once per size and kept; the curves are
    plain values in it. Building and checking it all each time took ~20 ms of the server's
    time per draw, which every other page on the server waited on.
    """
    traces = []
    for column, metric in enumerate(("loss", "accuracy"), start=1):
        if live:
            x, values = [p[0] for p in live], [p[column] for p in live]
        else:
            values = history.get(metric, [])
            x = list(range(1, len(values) + 1))
        test = history.get(f"val_{metric}", [])
        axes = {"xaxis": "x" if column == 1 else "x2", "yaxis": "y" if column == 1 else "y2"}
        for label, xs, ys, dash, colour in (
            ("train", x, values, "solid", TRAIN_COLOUR),
            ("test", list(range(1, len(test) + 1)), test, "dash", TEST_COLOUR),
        ):
            traces.append(
                {
                    "type": "scatter",
                    "x": [float(v) for v in xs],
                    "y": [float(v) for v in ys],
                    "mode": "lines" if label == "train" and live else "lines+markers",
                    "name": label,
                    "line": {"dash": dash, "color": colour},
                    "legendgroup": label,
                    "showlegend": column == 1,
                    "hovertemplate": f"{label} {metric} %{{y:.3f}} at epoch %{{x:.2f}}<extra></extra>",
                    **axes,
                }
            )
    # Plotly's own checking is for hand-written figures; these traces have a fixed form that
    # tests/test_charts.py checks against it.
    return go.Figure(data=traces, layout=copy.deepcopy(_curves_frame(max(epochs or 1, 1), height)), _validate=False)


@functools.lru_cache(maxsize=64)
def _curves_frame(epochs: int, height: int) -> dict:
    """training_curves' layout for a run of so many epochs, as Plotly built and checked it."""
    figure = make_subplots(rows=1, cols=2, subplot_titles=("loss", "accuracy"), horizontal_spacing=0.08)
    # Outside the plot, beside the accuracy panel's right edge, in the test curve's colour: a
    # scale for the dashed test curve that the training curve never runs into.
    for name, value in REFERENCE_ACCURACY.items():
        figure.add_annotation(
            x=1.0,
            xref="x2 domain",
            xanchor="left",
            y=value,
            yref="y2",
            text=f"◂ {value:.1%} {name}",
            showarrow=False,
            font={"size": 10, "color": TEST_COLOUR},
        )
    figure.add_annotation(
        x=1.0,
        xref="x2 domain",
        xanchor="left",
        y=1.0,
        yref="y2",
        yanchor="bottom",
        text="test accuracy,<br>full test set:",
        showarrow=False,
        font={"size": 10, "color": TEST_COLOUR},
    )
    figure.update_xaxes(title_text="epoch", range=[0, epochs + 0.05], dtick=1 if epochs <= 20 else 5)
    figure.update_yaxes(range=[0.5, 1.0], row=1, col=2)
    figure.update_layout(
        height=height, margin={"l": 10, "r": 125, "t": 30, "b": 10}, legend={"orientation": "h", "y": -0.2}
    )
    return figure.to_plotly_json()["layout"]


def class_accuracy_bars(class_accuracy: list[float], height: int = 300) -> go.Figure:
    """The test accuracy of each class, weakest first, so a lagging class (often Shirt) stands out."""
    order = np.argsort(class_accuracy)
    colours = [WRONG if class_accuracy[i] < 0.7 else RIGHT for i in order]
    return _bars([class_accuracy[i] for i in order], [CLASS_NAMES[i] for i in order], colours, "test accuracy", height)


def runs_overlay(runs: list[tuple[int, str, dict[str, list[float]]]], best: int | None = None, height: int = 340):
    """Test accuracy and test loss per epoch of several (run id, name, history) runs, each in its
    own colour (fmnist.compare.run_colour); the `best` run's lines drawn thick, its name starred."""
    figure = make_subplots(rows=1, cols=2, subplot_titles=("test accuracy", "test loss"), horizontal_spacing=0.08)
    for run_id, name, history in runs:
        name = html.escape(("★ best: " if run_id == best else "") + name)  # plotly renders <b>, <a href> in names
        for column, key in enumerate(("val_accuracy", "val_loss"), start=1):
            values = history.get(key, [])
            figure.add_trace(
                go.Scatter(
                    x=list(range(1, len(values) + 1)),
                    y=values,
                    mode="lines+markers",
                    name=name,
                    line={"color": run_colour(run_id), "dash": run_dash(run_id), "width": 4 if run_id == best else 2},
                    legendgroup=name,
                    showlegend=column == 1,
                ),
                row=1,
                col=column,
            )
    longest = max((len(history.get("val_accuracy", [])) for _, _, history in runs), default=1)
    figure.update_xaxes(title_text="epoch", tick0=1, dtick=max(1, math.ceil(longest / 10)))  # whole epochs
    figure.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, legend={"orientation": "h", "y": -0.25}
    )
    return figure


def confusion_figure(
    matrix: np.ndarray, normalise: bool = False, chosen: tuple[int, int] | None = None, height: int = 560
) -> go.Figure:
    """The confusion matrix as a grid of squares, true class down, predicted across: the right
    answers in blues, the mistakes in reds, each shaded against its own largest so a handful of
    mistakes never pales beside hundreds of right answers. `chosen` (true, predicted) is outlined.

    Squares rather than a heatmap because a click on a scatter point is a selection the page
    can read (Streamlit's on_select), which a heatmap cell is not.
    """
    totals = matrix.sum(axis=1, keepdims=True)
    shown = matrix / np.maximum(totals, 1) if normalise else matrix.astype(float)
    true, predicted = np.indices(matrix.shape)
    right = true == predicted
    shade = np.zeros(matrix.shape)
    for part in (right, ~right):  # each against its own largest; any count at all gets a visible tint
        largest = shown[part].max()
        if largest > 0:
            shade[part] = np.where(shown[part] > 0, 0.15 + 0.85 * shown[part] / largest, 0)
    colours = [
        "white" if level == 0 else sample_colorscale("Blues" if is_right else "Reds", [level])[0]
        for level, is_right in zip(shade.ravel(), right.ravel(), strict=True)
    ]
    outline = [3 if chosen == (t, p) else 0 for t, p in zip(true.ravel(), predicted.ravel(), strict=True)]
    figure = go.Figure(
        go.Scatter(
            x=[CLASS_NAMES[p] for p in predicted.ravel()],
            y=[CLASS_NAMES[t] for t in true.ravel()],
            mode="markers+text",
            marker={
                "symbol": "square",
                "size": 48,
                "color": colours,
                "line": {"width": outline, "color": "#111111"},
            },
            text=[f"{v:.0%}" if normalise else str(int(v)) for v in shown.ravel()],
            textfont={"size": 11, "color": ["white" if level > 0.6 else "#2b3440" for level in shade.ravel()]},
            customdata=np.stack([true.ravel(), predicted.ravel(), matrix.ravel()], axis=1),
            hovertemplate="true %{y}, predicted %{x}: %{customdata[2]} images<extra>click to see them</extra>",
        )
    )
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"title": "predicted class", "side": "top", "categoryorder": "array", "categoryarray": list(CLASS_NAMES)},
        yaxis={
            "title": "true class",
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": list(CLASS_NAMES),
        },
        plot_bgcolor="white",
        clickmode="event+select",
        dragmode=False,
    )
    return figure


def class_quality_bars(recall: np.ndarray, precision: np.ndarray, height: int = 360) -> go.Figure:
    """Recall (the class's accuracy) and precision per class, the weakest recall on top."""
    order = np.argsort(recall)
    names = [CLASS_NAMES[i] for i in order]
    figure = go.Figure()
    for label, values, colour in (("recall (accuracy)", recall, RIGHT), ("precision", precision, TEST_COLOUR)):
        figure.add_trace(
            go.Bar(
                x=values[order],
                y=names,
                orientation="h",
                name=label,
                marker_color=colour,
                hovertemplate="%{y}: %{x:.1%}",
            )
        )
    figure.update_layout(
        barmode="group",
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"range": [0, 1], "tickformat": ".0%"},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.15},
    )
    return figure


CLASS_COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)


def class_map(
    points: np.ndarray, labels: np.ndarray, predicted: np.ndarray | None, indices: np.ndarray, height: int = 460
) -> go.Figure:
    """Test pictures as points, (n, 2), coloured by true class (one legend entry each, to hide
    or show), mistakes drawn as crosses; each point carries its test picture number
    (`indices`) as customdata, for hover and click."""
    figure = go.Figure()
    wrong = predicted != labels if predicted is not None else np.zeros(len(labels), bool)
    said = predicted if predicted is not None else labels
    for class_index, name in enumerate(CLASS_NAMES):
        # Right answers first: the legend shows a class's first point, and crosses draw on top.
        mine = np.concatenate(
            [np.flatnonzero((labels == class_index) & ~wrong), np.flatnonzero((labels == class_index) & wrong)]
        )
        figure.add_trace(
            go.Scattergl(
                x=points[mine, 0],
                y=points[mine, 1],
                mode="markers",
                name=name,
                marker={
                    "color": CLASS_COLOURS[class_index],
                    "size": np.where(wrong[mine], 8, 5),
                    "symbol": np.where(wrong[mine], "x", "circle"),
                    "opacity": 0.75,
                },
                customdata=np.stack([indices[mine], said[mine]], axis=1),
                text=[CLASS_NAMES[s] for s in said[mine]],
                hovertemplate=f"#%{{customdata[0]}} {html.escape(name)}, model says %{{text}}"
                "<extra>click to see it</extra>",
            )
        )
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"showticklabels": False, "zeroline": False},
        yaxis={"showticklabels": False, "zeroline": False},
        legend={"orientation": "h", "y": -0.05, "itemsizing": "constant"},
        clickmode="event+select",
        dragmode="pan",
        plot_bgcolor="white",
    )
    return figure


def unit_activations(values: np.ndarray, highlighted: list[int] = (), height: int = 200) -> go.Figure:
    """One hidden layer's activations for one picture, a bar per unit in unit order, numbered from
    1 as the page names units; the units on the strongest paths (0-based `highlighted`) in the
    answer's colour."""
    colours = [RIGHT if i in set(highlighted) else NEUTRAL for i in range(len(values))]
    figure = go.Figure(
        go.Bar(
            x=list(range(1, len(values) + 1)),
            y=values,
            marker_color=colours,
            marker_line_width=0,
            hovertemplate="unit %{x}: %{y:.2f}<extra></extra>",
        )
    )
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"title": "unit", "showgrid": False},
        yaxis={"title": "activation"},
        bargap=0.05,
        showlegend=False,
    )
    return figure


def strongest_paths(nodes: list[str], links: list[tuple[int, int, float]], height: int = 420) -> go.Figure:
    """A Sankey diagram: `nodes` left to right, links (source node, target node, strength), each
    link as thick as what it adds to its target."""
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={"label": nodes, "pad": 12, "thickness": 14, "color": NEUTRAL},
            link={
                "source": [s for s, _, _ in links],
                "target": [t for _, t, _ in links],
                "value": [v for _, _, v in links],
                "color": "rgba(31, 119, 180, 0.35)",
                "hovertemplate": "%{source.label} → %{target.label}: adds %{value:.2f}<extra></extra>",
            },
        )
    )
    figure.update_layout(height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return figure
