from fmnist.config import RunConfig
from fmnist.runs import TRAINING, start_run
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
