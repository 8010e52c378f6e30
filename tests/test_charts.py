import numpy as np

from fmnist.charts import RIGHT, WRONG, class_accuracy_bars, probability_bars, runs_overlay, training_curves
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


def test_the_accuracy_chart_carries_the_reference_accuracies():
    figure = training_curves({"accuracy": [0.8]})
    labels = [a.text for a in figure.layout.annotations]
    assert "human 83.5%" in labels and "best published 96.7%" in labels
    assert "the lesson's MLP 88.0%" in labels


def test_class_accuracy_puts_the_weakest_class_first():
    accuracy = [0.9, 0.97, 0.8, 0.85, 0.8, 0.95, 0.55, 0.93, 0.96, 0.94]
    bars = class_accuracy_bars(accuracy).data[0]
    assert bars.y[0] == "Shirt" and bars.marker.color[0] == WRONG


def test_the_overlay_draws_each_run_in_its_own_colour():
    figure = runs_overlay(
        [("#1 10 units", {"val_accuracy": [0.7, 0.75]}), ("#2 512 units", {"val_accuracy": [0.8, 0.85]})]
    )
    names = {trace.name for trace in figure.data}
    assert names == {"#1 10 units", "#2 512 units"}
    colours = {trace.name: trace.line.color for trace in figure.data}
    assert colours["#1 10 units"] != colours["#2 512 units"]
