import math
import threading
import warnings

import numpy as np
import pytest

from fmnist import train as train_module
from fmnist.config import RunConfig
from fmnist.evaluate import accuracy, predict_proba
from fmnist.model import load_model
from fmnist.train import FAILED, FINISHED, STOPPED, Progress, TrainingListener, train
from tests.conftest import needs_real_data


class Recorder(TrainingListener):
    def __init__(self):
        self.events = []

    def on_run_start(self, config, steps_per_epoch):
        self.events.append(("start", steps_per_epoch))

    def on_progress(self, progress):
        self.events.append(("progress", progress))

    def on_epoch_end(self, epoch, metrics, class_accuracy):
        self.events.append(("epoch", epoch, metrics, class_accuracy))

    def on_run_end(self, result):
        self.events.append(("end", result.status))

    def kinds(self):
        return [event[0] for event in self.events]


def test_a_run_reports_start_progress_each_epoch_and_the_end_in_order(dataset):
    recorder = Recorder()
    result = train(RunConfig(epochs=2, hidden_units=(32,)), dataset, recorder)
    kinds = recorder.kinds()
    assert kinds[0] == "start" and kinds[-1] == "end"
    assert [e[1] for e in recorder.events if e[0] == "epoch"] == [1, 2]
    assert kinds.index("progress") < kinds.index("epoch")
    assert result.status == FINISHED and recorder.events[-1] == ("end", FINISHED)


def test_epoch_metrics_include_training_and_test_loss_and_accuracy(dataset):
    recorder = Recorder()
    train(RunConfig(epochs=1, hidden_units=(32,)), dataset, recorder)
    metrics = next(e[2] for e in recorder.events if e[0] == "epoch")
    assert {"loss", "accuracy", "val_loss", "val_accuracy"} <= set(metrics)


def test_each_epoch_reports_the_test_accuracy_of_every_class(dataset):
    recorder = Recorder()
    result = train(RunConfig(epochs=1), dataset, recorder)
    _, _, metrics, class_accuracy = next(e for e in recorder.events if e[0] == "epoch")
    assert len(class_accuracy) == 10 and all(0 <= a <= 1 for a in class_accuracy)
    # the classes' accuracies weighted by their share of the test set give the overall one
    shares = np.bincount(dataset.test.labels, minlength=10) / len(dataset.test)
    assert np.dot(shares, class_accuracy) == pytest.approx(metrics["val_accuracy"])
    assert metrics["val_accuracy"] == pytest.approx(result.test_accuracy)


def test_the_test_loss_matches_keras_evaluate(dataset):
    result = train(RunConfig(epochs=1, hidden_units=(32,)), dataset)
    keras_loss, keras_accuracy = result.model.evaluate(
        dataset.test.images.astype("float32"), dataset.test.labels, verbose=0
    )
    assert result.history["val_loss"][-1] == pytest.approx(keras_loss, rel=1e-3)
    assert result.history["val_accuracy"][-1] == pytest.approx(keras_accuracy)


def test_progress_reports_move_forward_and_never_overshoot(dataset):
    recorder = Recorder()
    train(RunConfig(epochs=2, hidden_units=(32,)), dataset, recorder)
    fractions = [e[1].fraction for e in recorder.events if e[0] == "progress"]
    assert fractions == sorted(fractions)
    assert 0 <= fractions[0] and fractions[-1] <= 1


def test_the_first_steps_are_reported_at_once_however_rarely_progress_is_sent(dataset, monkeypatch):
    monkeypatch.setattr(train_module, "PROGRESS_INTERVAL_S", 3600.0)  # no report for the pace alone
    recorder = Recorder()
    train(RunConfig(epochs=1, hidden_units=(32,)), dataset, recorder)
    moved = [e[1] for e in recorder.events if e[0] == "progress" and 0 < e[1].step < e[1].steps]
    assert moved, "the bar would sit at 0% until the epoch ends"
    assert moved[0].percent >= 1  # and it shows: a few steps of 219 are 1%, not 0%


def test_the_time_left_is_not_guessed_from_the_first_steps_which_include_compiling(dataset):
    recorder = Recorder()
    train(RunConfig(epochs=3, hidden_units=(32,)), dataset, recorder)
    moved = [e[1] for e in recorder.events if e[0] == "progress" and (e[1].epoch, e[1].step) != (1, 0)]
    assert math.isnan(moved[0].seconds_left) and math.isnan(moved[1].seconds_left)  # "starting…"
    assert not math.isnan(moved[-1].seconds_left)


def test_percents_are_rounded_up_once_a_step_is_done_and_never_past_100():
    def at(step, epoch=1):
        return Progress(epoch=epoch, epochs=5, step=step, steps=219, loss=0.0, accuracy=0.0)

    assert at(0).percent == 0
    assert at(9).percent == 1  # 0.8%
    assert at(219, epoch=5).percent == 100
    assert Progress(epoch=1, epochs=1, step=7, steps=100, loss=0.0, accuracy=0.0).percent == 7  # not 8 by float error


def test_progress_is_throttled_rather_than_sent_for_every_batch(dataset):
    recorder = Recorder()
    train(RunConfig(epochs=1, batch_size=8, hidden_units=(32,)), dataset, recorder)
    steps = recorder.events[0][1]
    reports = sum(1 for e in recorder.events if e[0] == "progress")
    assert reports < steps / 4  # far fewer Python-side reports than batches


def test_a_stop_from_another_thread_ends_the_run_and_keeps_the_model(dataset):
    stop = threading.Event()

    class StopAfterFirstProgress(TrainingListener):
        def on_progress(self, progress):
            if progress.step > 0:
                threading.Thread(target=stop.set).start()  # as a page's Stop button would

    result = train(RunConfig(epochs=50, hidden_units=(32,)), dataset, StopAfterFirstProgress(), stop)
    assert result.status == STOPPED
    assert result.epochs_done < 50
    assert result.model is not None and result.test_accuracy is not None


def test_a_run_that_breaks_is_reported_as_failed_not_raised(dataset):
    broken = type(dataset)(
        train=dataset.train,
        test=dataset.test.__class__(dataset.test.images[:, :27], dataset.test.labels),
        source="broken",
    )
    result = train(RunConfig(epochs=1, hidden_units=(8,)), broken)
    assert result.status == FAILED and result.error


def test_the_same_seed_gives_the_same_model(dataset):
    first = train(RunConfig(epochs=1, hidden_units=(16,), seed=3), dataset)
    second = train(RunConfig(epochs=1, hidden_units=(16,), seed=3), dataset)
    assert first.history["loss"] == second.history["loss"]


def test_no_normalisation_still_trains(dataset):
    result = train(RunConfig(epochs=1, normalize=False), dataset)
    assert result.status == FINISHED and np.isfinite(result.history["loss"][0])


@needs_real_data
def test_the_lessons_model_learns_as_well_as_with_the_lessons_own_fit(dataset):
    # The reference: the lesson's own code, Keras' model.fit, on the same model and seeds.
    # One seed's accuracy swings by +-0.02 here (7,000 pictures; seed 0 gives 0.847 with
    # fit), so the engine is judged on the mean of three.
    import keras

    from fmnist.model import build_model

    engine, reference = [], []
    for seed in range(3):
        config = RunConfig(seed=seed)
        result = train(config, dataset)
        assert result.params == 101_770
        engine.append(result.test_accuracy)
        keras.utils.set_random_seed(seed)
        model = build_model(config)
        model.fit(dataset.train.images.astype(np.float32), dataset.train.labels, batch_size=32, epochs=5, verbose=0)
        reference.append(accuracy(predict_proba(model, dataset.test.images), dataset.test.labels))
    assert np.mean(engine) >= np.mean(reference) - 0.01
    assert min(engine) >= 0.82


@needs_real_data
def test_the_cnn_trains_and_beats_chance_in_one_epoch(dataset):
    result = train(RunConfig.lesson_cnn(epochs=1), dataset)
    assert result.status == FINISHED and result.test_accuracy > 0.7


def test_a_cnn_trained_in_bfloat16_is_kept_and_reported_as_a_float32_model(dataset, tmp_path):
    # Where the CPU has bfloat16 instructions the CNN trains in them (fmnist.model.training_dtype);
    # the model a learner saves, explores and classifies with computes in float32 either way, and
    # the test accuracy the run reports is that model's.
    checkpoints = []

    class Keeper(TrainingListener):
        def on_checkpoint(self, model):
            checkpoints.append(model)

    result = train(RunConfig.lesson_cnn(epochs=1), dataset, Keeper())
    assert result.status == FINISHED and checkpoints == [result.model]
    assert {layer.dtype_policy.name for layer in result.model.layers} == {"float32"}
    probabilities = predict_proba(result.model, dataset.test.images)
    assert accuracy(probabilities, dataset.test.labels) == pytest.approx(result.test_accuracy)
    result.model.save(tmp_path / "cnn.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. Keras' "Skipping variable loading for optimizer"
        again = load_model(tmp_path / "cnn.keras")
    np.testing.assert_allclose(predict_proba(again, dataset.test.images[:50]), probabilities[:50], atol=1e-5)


def test_time_left_is_unknown_until_the_first_step_then_counts_down_to_zero(dataset):
    # Before the first step Keras is still compiling: an estimate then would count compile time.
    recorder = Recorder()
    train(RunConfig(epochs=3, hidden_units=(32,)), dataset, recorder)
    reports = [e[1] for e in recorder.events if e[0] == "progress"]
    assert reports[0].step == 0 and math.isnan(reports[0].seconds_left)
    estimates = [p.seconds_left for p in reports if not math.isnan(p.seconds_left)]
    assert all(e >= 0 for e in estimates) and estimates[0] > 0 and estimates[-1] == 0
