import numpy as np
import plotly.graph_objects as go
import pytest

from fmnist.charts import (
    RIGHT,
    TEST_COLOUR,
    WRONG,
    class_accuracy_bars,
    class_map,
    probability_bars,
    runs_overlay,
    training_curves,
)
from fmnist.data import CLASS_NAMES


def test_the_bar_chart_has_ten_bars_and_highlights_the_top_class():
    probabilities = np.full(10, 0.02)
    probabilities[7] = 0.82
    bars = probability_bars(probabilities).data[0]
    assert len(bars.x) == 10 and bars.y[7].startswith("Sneaker")
    assert bars.marker.color[7] == RIGHT
    assert bars.text[7] == "82%"


def test_a_wrong_top_class_is_red_and_the_true_class_is_marked():
    probabilities = np.full(10, 0.02)
    probabilities[6] = 0.82  # says Shirt
    bars = probability_bars(probabilities, true_label=0).data[0]
    assert bars.marker.color[6] == WRONG
    assert bars.y[0] == f"{CLASS_NAMES[0]}  ◀ true"


def test_training_curves_show_train_and_test_loss_and_accuracy_per_epoch():
    history = {"loss": [0.8, 0.5], "accuracy": [0.7, 0.8], "val_loss": [0.6, 0.5], "val_accuracy": [0.78, 0.81]}
    traces = training_curves(history).data
    assert len(traces) == 4
    assert [list(t.x) for t in traces] == [[1, 2]] * 4
    assert list(traces[3].y) == [0.78, 0.81]


def test_live_points_move_the_training_curve_inside_an_epoch():
    live = [(0.25, 0.9, 0.6), (0.5, 0.7, 0.7), (1.0, 0.6, 0.75)]
    traces = training_curves({"val_loss": [0.65], "val_accuracy": [0.74]}, live=live, epochs=5).data
    train_accuracy = traces[2]
    assert list(train_accuracy.x) == [0.25, 0.5, 1.0] and list(train_accuracy.y) == [0.6, 0.7, 0.75]
    assert list(traces[3].x) == [1]  # test points only at epoch ends


@pytest.mark.parametrize("live", [[], [(0.25, 0.9, 0.6), (0.5, 0.7, 0.7)]])
def test_the_training_curves_built_without_plotlys_checks_are_exactly_what_its_checks_make_of_them(live):
    # The live view draws them twice a second in the web server, so they skip Plotly's checks
    # (~20 ms a draw): a Plotly that would correct or refuse any of it fails here.
    history = {"loss": [0.8, 0.5], "accuracy": [0.7, 0.8], "val_loss": [0.6, 0.5], "val_accuracy": [0.78, 0.81]}
    figure = training_curves(history, live=live, epochs=5)
    assert go.Figure(figure.to_dict()).to_dict() == figure.to_dict()
    assert [t.xaxis for t in figure.data] == ["x", "x", "x2", "x2"] and figure.layout.xaxis2.title.text == "epoch"


def test_the_reference_accuracies_sit_beside_the_accuracy_panel_labelled_as_full_test_set_figures():
    figure = training_curves({"accuracy": [0.8, 0.99], "val_accuracy": [0.78, 0.8]})
    references = [a for a in figure.layout.annotations if "%" in a.text]
    labels = [a.text for a in references]
    assert "◂ 88.0% the lesson's MLP" in labels and "◂ 96.7% best published" in labels
    # Outside the plot, in the test curve's colour, under a heading: a scale for the test curve,
    # never a line the training curve can cross.
    assert all(a.xref == "x2 domain" and a.x == 1.0 and a.xanchor == "left" for a in references)
    assert all(a.font.color == TEST_COLOUR for a in references)
    assert any("full test set" in a.text for a in figure.layout.annotations)
    assert not figure.layout.shapes


def test_class_accuracy_puts_the_weakest_class_first():
    accuracy = [0.9, 0.97, 0.8, 0.85, 0.8, 0.95, 0.55, 0.93, 0.96, 0.94]
    bars = class_accuracy_bars(accuracy).data[0]
    assert bars.y[0] == "Shirt" and bars.marker.color[0] == WRONG


def test_the_overlay_draws_each_run_in_its_own_colour_and_stars_the_best():
    figure = runs_overlay(
        [(1, "#1 10 units", {"val_accuracy": [0.7, 0.75]}), (2, "#2 512 units", {"val_accuracy": [0.8, 0.85]})],
        best=2,
    )
    names = {trace.name for trace in figure.data}
    assert names == {"#1 10 units", "★ best: #2 512 units"}
    colours = {trace.name: trace.line.color for trace in figure.data}
    assert colours["#1 10 units"] != colours["★ best: #2 512 units"]
    assert {trace.line.width for trace in figure.data if trace.name.startswith("★")} == {4}


def test_a_run_keeps_its_colour_when_the_runs_beside_it_change():
    alone = runs_overlay([(5, "#5", {"val_accuracy": [0.8]})])
    with_others = runs_overlay([(2, "#2", {"val_accuracy": [0.7]}), (5, "#5", {"val_accuracy": [0.8]})])
    colour = {trace.name: trace.line.color for trace in with_others.data}
    assert alone.data[0].line.color == colour["#5"]


def test_the_map_colours_each_class_and_marks_the_mistakes_with_crosses():
    points = np.arange(40, dtype=np.float32).reshape(20, 2)
    labels = np.repeat([0, 1], 10)
    predicted = labels.copy()
    predicted[3] = 1  # one T-shirt taken for trousers
    figure = class_map(points, labels, predicted, np.arange(100, 120))
    shirts = figure.data[0]
    assert shirts.name == "T-shirt/top" and len(shirts.x) == 10
    assert list(shirts.marker.symbol).count("x") == 1 and shirts.marker.symbol[0] == "circle"  # the legend's dot
    assert list(shirts.customdata[-1]) == [103, 1]  # its test picture number and the class said


def test_the_activation_bars_number_units_from_1_as_the_page_names_them():
    from fmnist.charts import unit_activations

    bars = unit_activations(np.array([0.0, 2.0, 1.0]), highlighted=[1]).data[0]
    assert list(bars.x) == [1, 2, 3]
    assert bars.marker.color[1] == RIGHT and bars.marker.color[0] != RIGHT  # unit 2 is on the paths
