import gzip

import numpy as np
import pytest
import tensorflow_datasets as tfds

from fmnist import data
from fmnist.data import CLASS_NAMES, DataError, load_dataset
from tests.conftest import needs_real_data
from tools.idx import make_idx_folder, real_data_dir, write_idx


@needs_real_data
def test_the_8k_folder_loads_as_7000_train_and_1226_test_images():
    dataset = load_dataset(real_data_dir())
    assert dataset.train.images.shape == (7000, 28, 28)
    assert dataset.test.images.shape == (1226, 28, 28)
    assert dataset.train.images.dtype == np.uint8
    assert set(np.unique(dataset.train.labels)) == set(range(10))
    assert dataset.class_names == CLASS_NAMES
    assert "7,000 train / 1,226 test" in dataset.source


@needs_real_data
def test_the_first_training_image_is_the_official_ankle_boot():
    # Fashion-MNIST's first training image is labelled 9 (Ankle boot), the second 0 (T-shirt/top).
    dataset = load_dataset(real_data_dir())
    assert list(dataset.train.labels[:2]) == [9, 0]
    assert dataset.train.images[0].max() == 255 and dataset.train.images[0, 0, 0] == 0


def test_fmnist_data_dir_environment_variable_chooses_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("FMNIST_DATA_DIR", str(make_idx_folder(tmp_path / "idx", 30, 10)))
    dataset = load_dataset()
    assert (len(dataset.train), len(dataset.test)) == (30, 10)


def test_an_argument_wins_over_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("FMNIST_DATA_DIR", str(tmp_path / "nowhere"))
    assert len(load_dataset(make_idx_folder(tmp_path / "idx", 30, 10)).train) == 30


def test_unzipped_idx_files_are_read_too(tmp_path):
    folder = make_idx_folder(tmp_path / "idx", 30, 10)
    for gz in folder.glob("*.gz"):
        gz.with_suffix("").write_bytes(gzip.decompress(gz.read_bytes()))
        gz.unlink()
    assert len(load_dataset(folder).test) == 10


def test_a_missing_folder_says_how_to_fix_it(tmp_path):
    with pytest.raises(DataError, match="does not exist.*FMNIST_DATA_DIR"):
        load_dataset(tmp_path / "nowhere")


def test_a_missing_file_is_named(tmp_path):
    folder = make_idx_folder(tmp_path / "idx")
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte.gz is missing"):
        load_dataset(folder)


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda raw: raw[: len(raw) // 2], "not a readable gzip file"),
        (lambda raw: b"this is not gzip at all", "not a readable gzip file"),
        (lambda raw: gzip.compress(gzip.decompress(raw)[:-100]), "truncated or padded"),
        (lambda raw: gzip.compress(b"\x00\x00\x08\x01" + gzip.decompress(raw)[4:]), "magic number 0x00000801"),
        (lambda raw: gzip.compress(b""), "too short"),
    ],
    ids=["cut gzip", "not gzip", "truncated data", "labels magic on images", "empty"],
)
def test_a_corrupt_images_file_is_named_with_the_problem(tmp_path, damage, message):
    folder = make_idx_folder(tmp_path / "idx")
    path = folder / "train-images-idx3-ubyte.gz"
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(DataError, match=message) as error:
        load_dataset(folder)
    assert "train-images-idx3-ubyte.gz" in str(error.value)


def test_images_that_are_not_28x28_are_refused(tmp_path):
    folder = make_idx_folder(tmp_path / "idx")
    write_idx(folder / "train-images-idx3-ubyte.gz", np.zeros((60, 32, 32)), data.IMAGES_MAGIC)
    with pytest.raises(DataError, match="32x32 images"):
        load_dataset(folder)


def test_label_counts_must_match_image_counts(tmp_path):
    folder = make_idx_folder(tmp_path / "idx")
    write_idx(folder / "train-labels-idx1-ubyte.gz", np.zeros(59), data.LABELS_MAGIC)
    with pytest.raises(DataError, match="60 images but .* 59 labels"):
        load_dataset(folder)


def test_labels_outside_0_to_9_are_refused(tmp_path):
    folder = make_idx_folder(tmp_path / "idx")
    write_idx(folder / "t10k-labels-idx1-ubyte.gz", np.full(20, 12), data.LABELS_MAGIC)
    with pytest.raises(DataError, match="label 12"):
        load_dataset(folder)


def test_tfds_path_returns_uint8_images_and_int_labels(tmp_path):
    with tfds.testing.mock_data(num_examples=12):
        dataset = data.load_tfds(str(tmp_path / "tfds"))
    assert dataset.train.images.shape == (12, 28, 28) and dataset.train.images.dtype == np.uint8
    assert dataset.test.labels.dtype == np.int64 and dataset.test.labels.max() <= 9
    assert dataset.source.startswith("tensorflow-datasets fashion_mnist")


def test_tfds_path_is_read_from_the_numpy_cache_the_second_time(tmp_path):
    with tfds.testing.mock_data(num_examples=12):
        first = data.load_tfds(str(tmp_path / "tfds"))
    # Outside the mock, tfds would find nothing prepared: this load can only come from the cache.
    second = data.load_tfds(str(tmp_path / "tfds"))
    assert second.source.endswith("cached")
    np.testing.assert_array_equal(first.train.images, second.train.images)


def test_offline_without_a_folder_fails_at_once_with_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "_host_resolves", lambda host: False)  # as on a machine with no network
    with pytest.raises(DataError, match="unreachable; offline\\? set FMNIST_DATA_DIR"):
        data.load_tfds(str(tmp_path / "empty-tfds"))
