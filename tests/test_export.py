import csv
import io

import numpy as np
import pytest

from fmnist.export import history_csv, model_bytes, model_from_bytes
from fmnist.model import ModelError


def test_a_model_survives_download_and_upload_with_the_same_predictions(trained, dataset):
    restored = model_from_bytes(model_bytes(trained.model))
    x = dataset.test.images[:4].astype(np.float32)
    np.testing.assert_allclose(np.asarray(restored(x)), np.asarray(trained.model(x)), atol=1e-6)


@pytest.mark.parametrize("data, message", [(b"", "is empty"), (b"not a zip", "not a Keras model")])
def test_a_broken_upload_names_the_file_not_a_temporary_path(data, message):
    with pytest.raises(ModelError, match=message) as error:
        model_from_bytes(data, "mine.keras")
    assert "mine.keras" in str(error.value) and "/tmp" not in str(error.value)


def test_the_history_csv_has_a_row_per_epoch_and_each_classs_accuracy():
    history = {"loss": [0.8, 0.5], "accuracy": [0.7, 0.8], "val_loss": [0.6, 0.55], "val_accuracy": [0.78, 0.8]}
    rows = list(csv.DictReader(io.StringIO(history_csv(history, [[0.5] * 10, [0.6] * 10]))))
    assert [row["epoch"] for row in rows] == ["1", "2"]
    assert rows[1]["val_accuracy"] == "0.8"
    assert rows[0]["test_accuracy_Shirt"] == "0.5"
