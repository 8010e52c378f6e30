import subprocess
import sys

import pytest

from fmnist import runs
from fmnist.config import RunConfig
from fmnist.runs import TRAINING, TooManyRuns, loaded_run, remove_queued, start_run
from fmnist.store import RunStore
from fmnist.train import FINISHED, STOPPED, train
from tests.conftest import REPO


def test_a_background_run_returns_at_once_and_fills_in_its_record(dataset):
    run = start_run(1, RunConfig(epochs=2, hidden_units=(32,)), dataset)
    assert run.status == TRAINING  # the caller gets control back while it trains
    run.wait(120)
    assert run.status == FINISHED
    assert len(run.history["val_accuracy"]) == 2
    assert run.model is not None and run.result.test_accuracy > 0.5
    assert run.progress.fraction == 1.0


def test_a_run_tells_a_slow_start_from_its_first_steps_so_the_page_can_say_which(dataset):
    built_before_first_progress = []

    class Watch(runs.TrainingListener):
        def on_progress(self, progress):
            built_before_first_progress.append(run.built)

    run = runs.Run(id=1, config=RunConfig(epochs=1, hidden_units=(16,)))
    assert not run.built  # waiting for TensorFlow, a worker, its model
    train(run.config, dataset, runs._Recorder(run, Watch()), run.stop_event)
    assert built_before_first_progress[0] and run.built


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


def test_a_run_beyond_the_servers_limit_waits_its_turn_with_its_place_and_then_trains(dataset, monkeypatch):
    monkeypatch.setattr(runs, "MAX_RUNNING", 1)
    first = start_run(5, RunConfig(epochs=50, hidden_units=(32,)), dataset)
    second = start_run(6, RunConfig(epochs=1, hidden_units=(8,)), dataset)
    try:
        assert first.running and second.queued and second.place == 1
        assert second.model is None
    finally:
        first.stop()
    second.wait(60)
    assert second.status == FINISHED and second.place is None


def test_a_workspace_trains_one_run_at_a_time_even_when_the_server_has_room(dataset, tmp_path):
    space = RunStore(tmp_path).workspace("learner")
    first = start_run(space.new_id(), RunConfig(epochs=50, hidden_units=(32,)), dataset, space)
    second = start_run(space.new_id(), RunConfig(epochs=1, hidden_units=(8,)), dataset, space)
    try:
        assert first.running and second.queued
        assert [record.status for record in space.load_all()] == ["training", "queued"]  # a reload sees both
    finally:
        first.stop()
    second.wait(60)
    assert second.status == FINISHED


def test_a_queued_run_can_be_removed_and_its_folder_goes(dataset, tmp_path, monkeypatch):
    monkeypatch.setattr(runs, "MAX_RUNNING", 0)  # nothing starts
    space = RunStore(tmp_path).workspace("learner")
    run = start_run(space.new_id(), RunConfig(epochs=1), dataset, space)
    assert run.queued and len(space.load_all()) == 1
    assert remove_queued(run)
    assert space.load_all() == [] and run.place is None
    assert not run.under_way  # so waiting for it returns at once


def test_a_queued_run_whose_page_closed_is_kept_as_not_started(dataset, tmp_path, monkeypatch):
    monkeypatch.setattr(runs, "MAX_RUNNING", 0)
    space = RunStore(tmp_path).workspace("learner")
    run = start_run(space.new_id(), RunConfig(epochs=1), dataset, space)
    monkeypatch.setattr(runs, "ABANDONED_AFTER_S", 0.0)
    monkeypatch.setattr(runs, "MAX_RUNNING", 1)
    runs._dispatch()  # what the end of any run does
    assert run.status == STOPPED and run.stop_reason.startswith("not started")
    assert space.load_all()[0].status == STOPPED


def test_a_full_queue_refuses_with_a_message(dataset, monkeypatch):
    monkeypatch.setattr(runs, "MAX_QUEUED", 0)
    with pytest.raises(TooManyRuns, match="already waiting"):
        start_run(9, RunConfig(epochs=1), dataset)


def test_a_loaded_model_becomes_a_finished_run_with_its_test_accuracy(trained, dataset):
    run = loaded_run(8, trained.model, "mine.keras", dataset)
    assert run.status == FINISHED and run.name == "#8 loaded from mine.keras"
    assert run.test_accuracy == pytest.approx(trained.test_accuracy)


def test_a_returning_learners_stored_model_is_known_and_downloadable_without_loading_tensorflow(
    trained, dataset, tmp_path
):
    # After a restart, the Train page lists the runs with a model and offers each for download;
    # reading every stored model to do so loaded TensorFlow: 6-8 s before the page showed.
    space = RunStore(tmp_path).workspace("back-again")
    finished = loaded_run(space.new_id(), trained.model, "a test", dataset, workspace=space)
    stored = space.model_path(finished.id)
    probe = f"""
import sys
from fmnist.runs import Run
from fmnist.store import RunStore
space = RunStore({str(tmp_path)!r}).workspace("back-again")
run = Run.from_record(space.load_all()[0], space)
print(run.has_model, run.model_file() == open({str(stored)!r}, "rb").read())
print("tensorflow" in sys.modules, "keras" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "False", "False"]
    assert stored.stat().st_size > 1000  # a real .keras file, as the download gives it


def test_a_damaged_stored_model_still_counts_as_there_and_reads_as_none(trained, dataset, tmp_path):
    space = RunStore(tmp_path).workspace("damaged")
    finished = loaded_run(space.new_id(), trained.model, "a test", dataset, workspace=space)
    space.model_path(finished.id).write_bytes(b"not a keras file")
    run = runs.Run.from_record(space.load_all()[0], space)
    assert run.has_model and run.model is None  # the pages say it cannot be read
