import numpy as np

from fmnist.charts import RIGHT, WRONG, probability_bars, training_curves
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
