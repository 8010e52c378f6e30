"""Plotly figures for the pages. Plain functions of numpy values; no Streamlit here."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from fmnist.data import CLASS_NAMES

RIGHT, WRONG, NEUTRAL = "#1f77b4", "#d62728", "#9aa5b1"  # the lesson's blue and red, and grey


def probability_bars(probabilities: np.ndarray, true_label: int | None = None, height: int = 320) -> go.Figure:
    """Ten horizontal bars, the top class highlighted; the true class, if known, marked."""
    probabilities = np.asarray(probabilities, dtype=float)
    top = int(probabilities.argmax())
    colours = [NEUTRAL] * len(CLASS_NAMES)
    colours[top] = RIGHT if true_label in (None, top) else WRONG
    names = [name + ("  ◀ true" if i == true_label else "") for i, name in enumerate(CLASS_NAMES)]
    figure = go.Figure(
        go.Bar(
            x=probabilities,
            y=names,
            orientation="h",
            marker_color=colours,
            text=[f"{p:.0%}" for p in probabilities],
            textposition="outside",
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
        )
    )
    figure.update_layout(
        height=height,
        margin=dict(l=10, r=30, t=10, b=10),
        xaxis=dict(range=[0, 1.15], tickformat=".0%", title="probability"),
        yaxis=dict(autorange="reversed"),
        showlegend=False,
    )
    return figure


def training_curves(history: dict[str, list[float]], height: int = 320) -> go.Figure:
    """Loss and accuracy per epoch, training solid and test (validation) dashed."""
    figure = make_subplots(rows=1, cols=2, subplot_titles=("loss", "accuracy"))
    for column, metric in enumerate(("loss", "accuracy"), start=1):
        for key, label, dash in ((metric, "train", "solid"), (f"val_{metric}", "test", "dash")):
            values = history.get(key, [])
            figure.add_trace(
                go.Scatter(
                    x=list(range(1, len(values) + 1)),
                    y=values,
                    mode="lines+markers",
                    name=label,
                    line=dict(dash=dash, color=RIGHT if label == "train" else "#ff7f0e"),
                    legendgroup=label,
                    showlegend=column == 1,
                ),
                row=1,
                col=column,
            )
    figure.update_xaxes(title_text="epoch", dtick=1)
    figure.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.25))
    return figure
