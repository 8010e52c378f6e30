import numpy as np

from fmnist.data import CLASS_NAMES
from fmnist.picture_grid import BLUE, RED, picture_at, picture_grid


def grid_of_three():
    images = np.zeros((5, 28, 28), np.uint8)
    probabilities = np.full((5, 10), 0.01)
    probabilities[:, 0] = 0.91  # says T-shirt/top every time
    labels = np.array([0, 0, 6, 0, 0])  # picture 2 is a Shirt
    return picture_grid([1, 2, 4], images, probabilities, labels, columns=2, cell=100)


def test_each_picture_gets_its_image_and_a_caption_blue_when_right_red_when_wrong():
    layout = grid_of_three().layout
    assert len(layout.images) == 3
    notes = [(note.font.color, note.text) for note in layout.annotations]
    assert notes == [
        (BLUE, "<b>T-shirt/top</b> 91%<br>(T-shirt/top) #1"),
        (RED, "<b>T-shirt/top</b> 91%<br>(Shirt) #2"),
        (BLUE, "<b>T-shirt/top</b> 91%<br>(T-shirt/top) #4"),
    ]


def test_every_bar_names_its_class_and_value_on_hover_and_the_true_class_is_marked():
    figure = grid_of_three()
    hover_bars = next(trace for trace in figure.data if trace.type == "bar" and trace.hovertext is not None)
    said = list(hover_bars.hovertext)
    assert len(said) == 30 and said[0] == "T-shirt/top (true class): 91.0%"
    assert said[10 + 0] == "T-shirt/top (the answer): 91.0%" and said[10 + 6] == "Shirt (true class): 1.0%"
    assert set(hover_bars.y) == {max(hover_bars.y)}  # full height: even a 1% bar can be pointed at
    marks = next(trace for trace in figure.data if trace.type == "scatter" and trace.marker.symbol == "triangle-up")
    assert list(marks.hovertext) == [f"true class: {CLASS_NAMES[label]}" for label in (0, 6, 0)]


def test_a_click_on_a_picture_reads_back_as_its_test_picture_number():
    figure = grid_of_three()
    targets = next(trace for trace in figure.data if trace.customdata is not None)
    assert list(targets.customdata) == [1, 2, 4]
    assert targets.marker.size == 100 - 14  # covers the picture exactly: the layout is in pixels
    assert (figure.layout.width, figure.layout.xaxis.range) == (200, (0, 200))
    assert picture_at([{"x": 1.0, "y": 2.0, "customdata": [2]}]) == 2
    assert picture_at([{"x": 1.0, "y": 2.0}]) is None  # a click on a bar opens nothing
