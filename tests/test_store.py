import json
import multiprocessing
import os
import subprocess
import sys
import textwrap

import pytest

from fmnist.config import RunConfig
from fmnist.runs import Run, start_run
from fmnist.store import INTERRUPTED, Broken, RunRecord, RunStore, StoreError, Workspace, write_atomically
from tests.conftest import REPO


@pytest.fixture
def space(tmp_path) -> Workspace:
    return RunStore(tmp_path, max_runs=3, max_mb=50).workspace("learner-1")


def record(run_id: int, **values) -> RunRecord:
    return RunRecord(id=run_id, config=RunConfig(epochs=2).to_dict(), status="finished", **values)


def test_a_saved_run_reads_back_with_its_settings_curves_and_status(space):
    run_id = space.new_id()
    space.save(record(run_id, history={"loss": [0.6, 0.4], "val_accuracy": [0.8, 0.83]}, test_accuracy=0.83))
    [back] = space.load_all()
    assert (back.id, back.status, back.test_accuracy, back.epochs_done) == (run_id, "finished", 0.83, 2)
    assert RunConfig.from_dict(back.config) == RunConfig(epochs=2)


def test_ids_are_never_reused_even_after_a_delete(space):
    first, second = space.new_id(), space.new_id()
    space.save(record(second))
    space.delete(second)
    assert not (space.folder / str(second)).exists()  # deleting a run deletes its files
    assert space.new_id() == second + 1 and first == second - 1


def test_a_half_written_file_is_never_read_back(space, monkeypatch):
    run_id = space.new_id()
    space.save(record(run_id, test_accuracy=0.8))

    def crash(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)  # the disk fills between writing and renaming
    with pytest.raises(OSError):
        space.save(record(run_id, test_accuracy=0.9))
    monkeypatch.undo()
    [back] = space.load_all()
    assert back.test_accuracy == 0.8  # the old record, whole
    assert not list((space.folder / str(run_id)).glob(".*part"))  # no leftovers


def test_a_damaged_or_half_deleted_run_is_marked_and_the_others_still_load(space):
    good, damaged, empty = space.new_id(), space.new_id(), space.new_id()
    space.save(record(good))
    (space.folder / str(damaged) / "run.json").write_text('{"id": 2, "config": {"arch": "ml')  # cut short
    # `empty` has its folder but no record yet: a run being created, not shown at all
    entries = space.load_all()
    assert [type(entry) for entry in entries] == [RunRecord, Broken]
    assert entries[1].id == damaged and "damaged" in entries[1].reason
    assert empty not in [entry.id for entry in entries]


def test_a_run_whose_trainer_died_reads_as_interrupted_with_its_last_epoch(space, tmp_path):
    run_id = space.new_id()
    space.save(RunRecord(id=run_id, config=RunConfig().to_dict(), history={"loss": [0.6], "val_accuracy": [0.8]}))
    holder = subprocess.Popen(  # another process trains it: holds its lock, then dies without a word
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import fcntl, sys, time
            lock = open({str(space.folder / str(run_id) / "training.lock")!r}, "a")
            fcntl.flock(lock, fcntl.LOCK_EX)
            print("held", flush=True)
            time.sleep(60)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    assert space.load_all()[0].status == "training"  # its trainer is alive
    holder.kill()
    holder.wait()
    back = space.load_all()[0]
    assert back.status == INTERRUPTED
    run = Run.from_record(back, space)
    assert run.test_accuracy == 0.8 and run.stop_reason == "interrupted when the server stopped"


def test_a_workspace_over_its_limits_says_so_in_words(tmp_path):
    space = RunStore(tmp_path, max_runs=2, max_mb=0.001).workspace("learner-2")
    space.check_room()  # empty: room
    space.save(record(space.new_id()))
    write_atomically(space.folder / "1" / "padding", b"x" * 2048)
    with pytest.raises(StoreError, match="MB, its limit"):  # 1 KB of disk at most
        space.check_room()
    space.max_mb = 50
    space.save(record(space.new_id()))
    with pytest.raises(StoreError, match="holds 2 runs, its limit"):
        space.check_room()


def test_workspace_names_cannot_leave_the_store(tmp_path):
    store = RunStore(tmp_path)
    for name in ("../etc", "a/b", "", "x" * 65, "abc"):
        with pytest.raises(StoreError):
            store.workspace(name)


def _take_ids(root: str, count: int, queue) -> None:
    space = RunStore(root).workspace("shared-space")
    queue.put([space.new_id() for _ in range(count)])


def test_two_processes_taking_ids_at_once_never_get_the_same_one(tmp_path):
    queue = multiprocessing.get_context("spawn").Queue()
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_take_ids, args=(str(tmp_path), 25, queue)) for _ in range(2)]
    for worker in workers:
        worker.start()
    ids = queue.get(timeout=60) + queue.get(timeout=60)
    for worker in workers:
        worker.join(30)
    assert sorted(ids) == list(range(1, 51))


def test_a_training_run_is_kept_epoch_by_epoch_with_its_model_and_a_tensorboard_log(space, dataset):
    from tensorflow.compat.v1.train import summary_iterator

    run = start_run(space.new_id(), RunConfig(epochs=2), dataset, space)
    run.wait(120)
    [back] = space.load_all()
    assert back.status == "finished" and back.epochs_done == 2 and back.has_model
    assert len(back.class_accuracy) == 2 and back.live  # the per-class figures and the live points
    stored = Run.from_record(back, space)
    assert stored.model is not None and stored.model.count_params() == RunConfig().params
    assert json.loads((space.folder / str(run.id) / "run.json").read_text())["test_accuracy"] == run.test_accuracy
    tags = {  # its TensorBoard log: each epoch's figures, and its settings for the HParams view
        (value.tag, event.step)
        for events in (space.folder / str(run.id) / "tensorboard").glob("events.out.tfevents.*")
        for event in summary_iterator(str(events))
        for value in event.summary.value
    }
    assert {("epoch_val_accuracy", 1), ("epoch_val_accuracy", 2), ("epoch_loss", 2)} <= tags
    assert ("_hparams_/session_start_info", 0) in tags


def test_a_store_that_cannot_be_written_says_why(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="runs cannot be kept in"):
        RunStore(blocker / "runs").check_writable()


def test_the_command_line_keeps_its_run_where_the_app_reads_it(tmp_path, data_dir):
    store = ["--runs-dir", str(tmp_path), "--workspace", "my-notebook"]
    done = subprocess.run(
        [sys.executable, "-m", "fmnist", "train", "--epochs", "1", "--data-dir", str(data_dir), *store],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "http://localhost:8501/?w=my-notebook" in done.stdout
    [back] = RunStore(tmp_path).workspace("my-notebook").load_all()
    assert back.status == "finished" and back.has_model


def test_the_pages_keep_the_first_model_until_another_is_chosen_or_it_is_deleted(space):
    assert space.model_for_the_pages([], []) is None
    assert space.model_for_the_pages([1], [1]) == 1  # the first model there was
    assert space.model_for_the_pages([1, 2], [1, 2]) == 1  # a newer run does not take its place
    space.set_active(2)
    assert space.model_for_the_pages([1, 2], [1, 2]) == 2  # the learner's choice
    assert space.model_for_the_pages([1], [1, 2]) == 1 and space.active() == 2  # #2 retrains: kept chosen
    assert space.model_for_the_pages([1, 3], [1, 3]) == 3 and space.active() == 3  # #2 deleted: the newest


def test_a_kept_mlp_run_brings_back_its_starting_weights_after_a_restart(space, dataset):
    import numpy as np

    from fmnist.inside import unit_pictures

    run = start_run(space.new_id(), RunConfig(epochs=1, hidden_units=(16,)), dataset, space)
    run.wait(120)
    [back] = space.load_all()
    stored = Run.from_record(back, space)  # as a restarted server reads it
    start = stored.starting_units()
    assert start is not None and start.shape == (16, 28, 28)
    np.testing.assert_array_equal(start, run.start_units)
    assert not np.array_equal(start, unit_pictures(stored.model))  # the trained ones moved on


def test_a_damaged_starting_weights_file_reads_as_none_not_an_error(space):
    space.save(record(space.new_id()))
    (space.folder / "1" / "start.npy").write_bytes(b"not numpy")
    assert space.load_start(1) is None
    assert space.load_start(2) is None  # none at all
