"""Fashion-MNIST folders for tests and tools: the real 8k subset beside the checkout, and small
folders in the official gzipped IDX layout written on the spot."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np

from fmnist.data import DATA_DIR_ENV, IMAGES_MAGIC, LABELS_MAGIC

REPO = Path(__file__).resolve().parent.parent
SHARED_8K = REPO.parent / "shared" / "data" / "fashion-mnist-8k"


def real_data_dir() -> Path | None:
    """The 8k folder of genuine Fashion-MNIST images: $FMNIST_DATA_DIR, else ../shared."""
    for candidate in (os.environ.get(DATA_DIR_ENV), SHARED_8K):
        if candidate and (Path(candidate) / "train-images-idx3-ubyte.gz").is_file():
            return Path(candidate)
    return None


def write_idx(path: Path, array: np.ndarray, magic: int) -> Path:
    """Write an array in the official gzipped IDX layout: magic, dimensions, bytes."""
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    path.write_bytes(gzip.compress(header + array.astype(np.uint8).tobytes()))
    return path


def make_idx_folder(folder: Path, n_train: int = 60, n_test: int = 20, seed: int = 0) -> Path:
    """A small folder in the official layout: each class a bright band at its own height."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        labels = np.arange(n) % 10
        images = rng.integers(0, 40, size=(n, 28, 28))
        for image, label in zip(images, labels, strict=True):
            image[2 + 2 * label : 4 + 2 * label, 4:24] = 255
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", images, IMAGES_MAGIC)
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", labels, LABELS_MAGIC)
    return folder
