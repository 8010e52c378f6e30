"""Comparing runs: the best one, each run's best epoch and gap, one colour per run."""

from fmnist.compare import RUN_COLOURS, best_epoch, best_of, run_colour, run_dash, train_test_gap


def test_the_best_epoch_is_the_one_with_the_highest_test_accuracy():
    assert best_epoch({"val_accuracy": [0.80, 0.85, 0.84, 0.85]}) == 2  # the first, on a tie
    assert best_epoch({}) is None


def test_the_gap_is_training_minus_test_accuracy_at_the_last_epoch():
    assert abs(train_test_gap({"accuracy": [0.8, 0.92], "val_accuracy": [0.81, 0.85]}) - 0.07) < 1e-9
    assert train_test_gap({"accuracy": [0.8]}) is None


def test_the_best_run_is_the_highest_test_accuracy_and_unfinished_runs_are_skipped():
    assert best_of({1: 0.84, 2: 0.87, 3: None, 4: 0.87}) == 2
    assert best_of({3: None}) is None


def test_a_run_keeps_its_colour_whatever_other_runs_are_shown():
    assert run_colour(3) == RUN_COLOURS[2] and run_colour(3) != run_colour(4)
    assert run_colour(1) == run_colour(11) and run_dash(1) != run_dash(11)  # ten apart: same colour, other dash
