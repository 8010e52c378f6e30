import pytest

from fmnist import runs
from fmnist.config import RunConfig
from fmnist.runs import TRAINING, TooManyRuns, loaded_run, start_run
from fmnist.train import FINISHED, STOPPED


def test_a_background_run_returns_at_once_and_fills_in_its_record(dataset):
    run = start_run(1, RunConfig(epochs=2, hidden_units=(32,)), dataset)
    assert run.status == TRAINING  # the caller gets control back while it trains
    run.wait(120)
    assert run.status == FINISHED
    assert len(run.history["val_accuracy"]) == 2
    assert run.model is not None and run.result.test_accuracy > 0.5
    assert run.progress.fraction == 1.0


def test_stopping_a_background_run_keeps_its_model_and_curves(dataset):
    run = start_run(2, RunConfig(epochs=50, hidden_units=(32,)), dataset)
    while not run.history and run.running:  # at least one epoch on the curves
        run.wait(0.05)
    run.stop()
    run.wait(60)
    assert run.status == STOPPED
    assert run.model is not None and run.history["loss"]
    assert run.name.startswith("#2 MLP 32 relu, 50 epochs")


def test_a_run_keeps_curve_points_within_epochs_and_each_epochs_class_accuracy(dataset):
    run = start_run(3, RunConfig(epochs=2, hidden_units=(32,), batch_size=8), dataset)  # ~2,600 steps: seconds
    run.wait(120)
    positions = [point[0] for point in run.live]
    assert positions == sorted(positions) and positions[-1] == 2.0
    assert any(position % 1 for position in positions)  # points between epoch ends: curves move within an epoch
    assert len(run.class_accuracy) == 2 and len(run.class_accuracy[0]) == 10


def test_a_run_whose_page_went_away_stops_itself(dataset, monkeypatch):
    monkeypatch.setattr(runs, "ABANDONED_AFTER_S", 0.0)  # as if the tab closed long ago
    run = start_run(4, RunConfig(epochs=50, hidden_units=(32,)), dataset)
    run.wait(120)
    assert run.status == STOPPED
    assert "page was closed" in run.stop_reason
    assert run.model is not None


def test_the_server_refuses_more_runs_than_its_limit_with_a_message(dataset, monkeypatch):
    monkeypatch.setattr(runs, "MAX_RUNNING", 1)
    first = start_run(5, RunConfig(epochs=50, hidden_units=(32,)), dataset)
    try:
        with pytest.raises(TooManyRuns, match="already training 1 models"):
            start_run(6, RunConfig(epochs=1), dataset)
    finally:
        first.stop()
        first.wait(60)
    start_run(7, RunConfig(epochs=1, hidden_units=(8,)), dataset).wait(60)  # room again once it ended


def test_a_loaded_model_becomes_a_finished_run_with_its_test_accuracy(trained, dataset):
    run = loaded_run(8, trained.model, "mine.keras", dataset)
    assert run.status == FINISHED and run.name == "#8 loaded from mine.keras"
    assert run.test_accuracy == pytest.approx(trained.test_accuracy)
