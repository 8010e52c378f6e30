"""Test pictures with the model's answers as one plotly figure: a picture, a caption and ten
probability bars per cell, every bar named on hover, every picture clickable.

The figure is laid out in pixels (one axis unit is one screen pixel at the figure's fixed
width), so the invisible square over each picture, which takes the click, covers it exactly.
A click selects that square; `picture_at` reads the selection back into a test picture number.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from fmnist.data import CLASS_NAMES

RED, BLUE, GREY = "#d62728", "#1f77b4", "#c3c8cf"  # the answer, the true class, the other classes
CAPTION = 38  # pixels above each picture for its two caption lines
BARS = 34  # pixels of height for a probability of 1
MARK = 12  # pixels below the bars for the true class's mark
GAP = 14  # pixels between cells


@dataclass(frozen=True)
class Layout:
    columns: int
    cell: int  # pixels: a cell's width, its picture's side plus the gap

    @property
    def side(self) -> int:
        return self.cell - GAP

    @property
    def height(self) -> int:  # of a cell
        return CAPTION + self.side + 4 + BARS + MARK + GAP


def picture_grid(indices, images: np.ndarray, probabilities: np.ndarray, labels: np.ndarray, columns: int, cell: int):
    """The test pictures at `indices`, `columns` to a row, each in a square `cell` pixels wide."""
    layout = Layout(columns, cell)
    indices = [int(i) for i in indices]
    rows = -(-len(indices) // columns)
    figure = go.Figure()
    bars = {"x": [], "y": [], "base": [], "colour": [], "said": []}
    marks = {"x": [], "y": [], "said": []}
    centres = {"x": [], "y": []}
    for cell_number, index in enumerate(indices):
        left = (cell_number % columns) * layout.cell + GAP / 2
        top = -(cell_number // columns) * layout.height  # y grows upwards; row 0 at the top
        picture_top, baseline = top - CAPTION, top - CAPTION - layout.side - 4 - BARS
        guess, truth = int(probabilities[index].argmax()), int(labels[index])
        figure.add_layout_image(
            source=_png_uri(images[index]),
            xref="x",
            yref="y",
            x=left,
            y=picture_top,
            sizex=layout.side,
            sizey=layout.side,
            sizing="stretch",
            layer="below",
        )
        colour = BLUE if guess == truth else RED
        figure.add_annotation(
            x=left + layout.side / 2,
            y=top,
            yanchor="top",
            showarrow=False,
            font={"size": 12, "color": colour},
            text=f"<b>{CLASS_NAMES[guess]}</b> {probabilities[index, guess]:.0%}<br>({CLASS_NAMES[truth]}) #{index}",
        )
        slot = layout.side / len(CLASS_NAMES)
        for label, probability in enumerate(probabilities[index]):
            bars["x"].append(left + (label + 0.5) * slot)
            bars["y"].append(max(float(probability) * BARS, 1.0))  # a hairline even at 0: something to hover
            bars["base"].append(baseline)
            bars["colour"].append(BLUE if label == truth else RED if label == guess else GREY)
            role = " (true class)" if label == truth else " (the answer)" if label == guess else ""
            bars["said"].append(f"{CLASS_NAMES[label]}{role}: {probability:.1%}")
        marks["x"].append(left + (truth + 0.5) * slot)
        marks["y"].append(baseline - MARK / 2)
        marks["said"].append(f"true class: {CLASS_NAMES[truth]}")
        centres["x"].append(left + layout.side / 2)
        centres["y"].append(picture_top - layout.side / 2)
    width = layout.side / len(CLASS_NAMES)
    figure.add_bar(
        x=bars["x"],
        y=bars["y"],
        base=bars["base"],
        width=width * 0.8,
        marker={"color": bars["colour"], "line": {"width": 0}},
        hoverinfo="skip",
        unselected={"marker": {"opacity": 1}},
    )
    figure.add_bar(  # hover targets: a see-through bar of full height in each slot, so even 0% can be pointed at
        x=bars["x"],
        y=[BARS] * len(bars["x"]),
        base=bars["base"],
        width=width,
        marker={"color": "rgba(0, 0, 0, 0)", "line": {"width": 0}},
        hovertext=bars["said"],
        hovertemplate="%{hovertext}<extra></extra>",
    )
    figure.add_scatter(
        x=marks["x"],
        y=marks["y"],
        mode="markers",
        marker={"symbol": "triangle-up", "size": 8, "color": BLUE},
        hovertext=marks["said"],
        hovertemplate="%{hovertext}<extra></extra>",
        unselected={"marker": {"opacity": 1}},
    )
    figure.add_scatter(  # the click targets: one see-through square over each picture
        x=centres["x"],
        y=centres["y"],
        mode="markers",
        marker={"symbol": "square", "size": layout.side, "color": "rgba(0, 0, 0, 0)"},
        customdata=indices,
        hovertemplate="test picture #%{customdata}: click to see it up close<extra></extra>",
        selected={"marker": {"opacity": 0}},
        unselected={"marker": {"opacity": 0}},
    )
    width, height = columns * layout.cell, max(rows, 1) * layout.height
    figure.update_layout(
        width=width,
        height=height,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        xaxis={"range": [0, width], "visible": False, "fixedrange": True},
        yaxis={"range": [-height, 0], "visible": False, "fixedrange": True},
        plot_bgcolor="white",
        showlegend=False,
        clickmode="event+select",
        dragmode=False,
        hovermode="closest",
        barmode="overlay",
    )
    return figure


def picture_at(points: list[dict]) -> int | None:
    """The test picture number a click on a `picture_grid` selected, if it selected a picture."""
    for point in points:
        custom = point.get("customdata")
        if custom is not None:
            return int(custom[0] if isinstance(custom, list) else custom)
    return None


def _png_uri(pixels: np.ndarray) -> str:
    """The picture as a PNG data URI, enlarged 4x so the browser shows its pixels sharp."""
    picture = Image.fromarray(np.asarray(pixels, np.uint8)).resize((112, 112), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
