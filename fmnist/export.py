"""Files a learner takes away or brings back: a model as .keras bytes, a run's history as CSV."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from fmnist.data import CLASS_NAMES

HISTORY_COLUMNS = ("epoch", "loss", "accuracy", "val_loss", "val_accuracy")


def model_bytes(model) -> bytes:
    """The model as a .keras file's bytes (Keras saves to paths only). No TensorFlow imported
    here: a model object means it is loaded already, and the pages import this early."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        model.save(path)
        return path.read_bytes()


def model_from_bytes(data: bytes, name: str = "upload.keras"):
    """A (28, 28) -> (10,) classifier from uploaded .keras bytes; ModelError says why not."""
    from fmnist.model import ModelError, load_model  # TensorFlow: only when a model is read

    if not data:
        raise ModelError(f"{name} is empty")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"  # Keras insists on the .keras suffix
        path.write_bytes(data)
        return load_model(path, name)


def history_csv(history: dict[str, list[float]], class_accuracy: list[list[float]] = ()) -> str:
    """One row per epoch: loss and accuracy for train and test (val_), then each class's test accuracy."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    class_columns = [f"test_accuracy_{name}" for name in CLASS_NAMES] if class_accuracy else []
    writer.writerow([*HISTORY_COLUMNS, *class_columns])
    for epoch in range(len(history.get("loss", []))):
        row = [epoch + 1, *(history.get(key, [None] * (epoch + 1))[epoch] for key in HISTORY_COLUMNS[1:])]
        if class_accuracy:
            row += class_accuracy[epoch] if epoch < len(class_accuracy) else [None] * len(CLASS_NAMES)
        writer.writerow(row)
    return buffer.getvalue()
