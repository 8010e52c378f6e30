"""Fashion-MNIST as numpy arrays, from tensorflow-datasets or from a folder of the official IDX files.

This module only reads and validates data. It knows nothing of Keras models or of
Streamlit; every failure is a `DataError` whose message names the file or source and
says how to fix it, so a page or the command line can show it as it is.
"""

from __future__ import annotations

import gzip
import os
import socket
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

DATA_DIR_ENV = "FMNIST_DATA_DIR"

# The official file names (Zalando's distribution and tensorflow-datasets' download).
IDX_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
IMAGES_MAGIC = 0x00000803  # unsigned bytes, 3 dimensions
LABELS_MAGIC = 0x00000801  # unsigned bytes, 1 dimension
IMAGE_SIDE = 28

# tensorflow-datasets downloads from here; offline, tfds retries for minutes before it
# fails, while a DNS lookup of this host fails at once.
TFDS_NAME = "fashion_mnist"
TFDS_DOWNLOAD_HOST = "fashion-mnist.s3-website.eu-central-1.amazonaws.com"

IDX_FILE_LIST = ", ".join(name for pair in IDX_FILES.values() for name in pair)
OFFLINE_HINT = f"offline? set {DATA_DIR_ENV} to a folder with the four Fashion-MNIST IDX files: " + IDX_FILE_LIST


class DataError(Exception):
    """The data could not be loaded; the message says what went wrong and how to fix it."""


@dataclass(frozen=True)
class Split:
    images: np.ndarray  # (n, 28, 28) uint8, 0 = black background, 255 = brightest garment pixel
    labels: np.ndarray  # (n,) int64 in 0..9, indexes CLASS_NAMES

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class Dataset:
    train: Split
    test: Split
    source: str  # for people: where the data came from
    class_names: tuple[str, ...] = CLASS_NAMES


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path | None:
    """The IDX folder to use: the argument first, then $FMNIST_DATA_DIR; None means tfds."""
    chosen = data_dir if data_dir not in (None, "") else os.environ.get(DATA_DIR_ENV) or None
    return Path(chosen).expanduser() if chosen else None


def load_dataset(data_dir: str | os.PathLike | None = None) -> Dataset:
    """Fashion-MNIST train and test splits, from an IDX folder if one is given, else tfds."""
    folder = resolve_data_dir(data_dir)
    if folder is not None:
        return load_idx_folder(folder)
    return load_tfds()


# --- the official IDX files ------------------------------------------------------------


def load_idx_folder(folder: str | os.PathLike) -> Dataset:
    folder = Path(folder)
    if folder.is_file():
        raise DataError(
            f"{folder} is a file, not a folder: point {DATA_DIR_ENV} at the folder holding the four Fashion-MNIST "
            "IDX files"
        )
    if not folder.is_dir():
        raise DataError(
            f"data folder {folder} does not exist: point {DATA_DIR_ENV} at a folder holding the four Fashion-MNIST "
            "IDX files"
        )
    splits = {}
    for split, (images_name, labels_name) in IDX_FILES.items():
        images = read_idx(_find(folder, images_name), IMAGES_MAGIC)
        labels = read_idx(_find(folder, labels_name), LABELS_MAGIC)
        if len(images) != len(labels):
            raise DataError(
                f"{folder / images_name} holds {len(images):,} images but {labels_name} "
                f"holds {len(labels):,} labels: the two files must come from the same split"
            )
        splits[split] = Split(images=images, labels=labels.astype(np.int64))
    return Dataset(
        train=splits["train"],
        test=splits["test"],
        source=f"IDX folder {folder} ({len(splits['train']):,} train / {len(splits['test']):,} test)",
    )


def _find(folder: Path, name: str) -> Path:
    """The gzipped file, or its unzipped twin if only that is there."""
    for candidate in (folder / name, folder / name.removesuffix(".gz")):
        if candidate.is_file():
            return candidate
    raise DataError(f"{folder / name} is missing: the folder must hold {IDX_FILE_LIST}")


def read_idx(path: Path, magic: int) -> np.ndarray:
    """One IDX file as a uint8 array: (n, 28, 28) for images, (n,) for labels, validated."""
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise DataError(f"{path} is not a readable gzip file ({error}); download it again") from error

    if len(raw) < 8:
        raise DataError(f"{path} is too short to be an IDX file ({len(raw)} bytes); download it again")
    found_magic = int.from_bytes(raw[0:4], "big")
    if found_magic != magic:
        kind = "images" if magic == IMAGES_MAGIC else "labels"
        raise DataError(
            f"{path} has magic number 0x{found_magic:08x}, not 0x{magic:08x} for Fashion-MNIST "
            f"{kind}: the file is not what its name says"
        )
    ndim = magic & 0xFF
    header = 4 + 4 * ndim
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    if ndim == 3 and dims[1:] != [IMAGE_SIDE, IMAGE_SIDE]:
        raise DataError(f"{path} holds {dims[1]}x{dims[2]} images; Fashion-MNIST images are 28x28")
    expected = header + int(np.prod(dims))
    if len(raw) != expected:
        raise DataError(
            f"{path} is truncated or padded: {len(raw):,} bytes where its header promises "
            f"{expected:,}; download it again"
        )
    array = np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims)
    if ndim == 1 and array.size and array.max() >= len(CLASS_NAMES):
        raise DataError(f"{path} has label {array.max()}; Fashion-MNIST labels are 0..9")
    return array


# --- tensorflow-datasets ---------------------------------------------------------------


def load_tfds(tfds_data_dir: str | None = None) -> Dataset:
    """The full dataset through tensorflow-datasets, as the lesson loads it.

    The first call downloads about 30 MB into tfds' data folder (~/tensorflow_datasets)
    and keeps a plain numpy copy in the cache folder; later calls read that copy, which
    takes a fraction of a second and needs no TensorFlow. Offline, a failed DNS lookup
    ends a first call at once with a DataError instead of tfds' minutes of retries.
    """
    cache = cache_dir() / f"{TFDS_NAME}.npz"
    if cache.is_file():
        try:
            return _read_cache(cache)
        except (OSError, ValueError, KeyError):
            pass  # unreadable or stale copy: load through tfds again and rewrite it

    import tensorflow_datasets as tfds  # heavy (TensorFlow); only this source needs it

    try:
        dataset = _tfds_dataset(tfds, tfds_data_dir, download=False)
    except Exception:  # not prepared yet: tfds raises AssertionError or its own errors
        if not _host_resolves(TFDS_DOWNLOAD_HOST):
            raise DataError(
                f"cannot download Fashion-MNIST: {TFDS_DOWNLOAD_HOST} is unreachable; {OFFLINE_HINT}"
            ) from None
        try:
            dataset = _tfds_dataset(tfds, tfds_data_dir, download=True)
        except Exception as error:
            first_line = str(error).splitlines()[0] if str(error) else "no detail"
            raise DataError(
                f"tensorflow-datasets could not download {TFDS_NAME} "
                f"({type(error).__name__}: {first_line}); {OFFLINE_HINT}"
            ) from error
    _write_cache(cache, dataset)
    return dataset


def cache_dir() -> Path:
    """Where the numpy copy of the tfds download lives ($FMNIST_CACHE_DIR to move it)."""
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "fmnist"
    return Path(os.environ.get("FMNIST_CACHE_DIR", default)).expanduser()


def _tfds_dataset(tfds, tfds_data_dir: str | None, download: bool) -> Dataset:
    train, test = tfds.load(
        TFDS_NAME,
        split=["train", "test"],
        as_supervised=True,
        data_dir=tfds_data_dir,
        download=download,
    )
    splits = []
    for ds in (train, test):
        # Whole split into memory in a few large batches (batch_size=-1 in tfds.load does
        # the same, but crashes under tfds.testing.mock_data).
        batches = list(tfds.as_numpy(ds.batch(10_000)))
        images = np.concatenate([b[0] for b in batches]).astype(np.uint8)
        labels = np.concatenate([b[1] for b in batches]).astype(np.int64)
        splits.append(Split(images=images.reshape(-1, IMAGE_SIDE, IMAGE_SIDE), labels=labels))
    return Dataset(train=splits[0], test=splits[1], source=_tfds_source(splits[0], splits[1]))


def _tfds_source(train: Split, test: Split) -> str:
    return f"tensorflow-datasets {TFDS_NAME} ({len(train):,} train / {len(test):,} test)"


def _write_cache(path: Path, dataset: Dataset) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.npz")
    np.savez(
        partial,
        x_train=dataset.train.images,
        y_train=dataset.train.labels,
        x_test=dataset.test.images,
        y_test=dataset.test.labels,
    )
    partial.replace(path)  # atomic: a crash mid-write never leaves a half file behind


def _read_cache(path: Path) -> Dataset:
    with np.load(path) as arrays:
        train = Split(arrays["x_train"], arrays["y_train"])
        test = Split(arrays["x_test"], arrays["y_test"])
    for split in (train, test):
        if split.images.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE) or len(split.images) != len(split.labels):
            raise ValueError(f"{path} does not hold Fashion-MNIST")
    return Dataset(train=train, test=test, source=_tfds_source(train, test) + ", cached")


def _host_resolves(host: str) -> bool:
    try:
        socket.getaddrinfo(host, 80)
    except OSError:
        return False
    return True
