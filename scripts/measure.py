"""The README's "Measured here" figures: `.venv/bin/python scripts/measure.py [--data-dir DIR]`.

Plain Keras and the app's engine do the same work in the same process, so the ratios hold
on a busy machine even when the seconds do not. Not a test: it prints figures.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import keras
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from fmnist.config import RunConfig
from fmnist.data import load_dataset
from fmnist.evaluate import predict_proba
from fmnist.model import build_model


def seconds(action, repeat: int = 1) -> float:
    """Median wall time of action over repeat calls."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir")
    args = parser.parse_args()

    load_s = seconds(lambda: load_dataset(args.data_dir), 5)
    data = load_dataset(args.data_dir)
    # (60000, 28, 28) float32 pixels: the 8k folder tiled to the full training set's size
    reps = -(-60_000 // len(data.train))
    x = np.tile(data.train.images, (reps, 1, 1))[:60_000].astype(np.float32)
    y = np.tile(data.train.labels, reps)[:60_000]

    keras.utils.set_random_seed(0)
    layers = keras.layers
    lesson = keras.Sequential(
        [keras.Input((28, 28)), layers.Flatten(), layers.Dense(128, "relu"), layers.Dense(10, "softmax")]
    )
    lesson.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])  # the lesson's defaults
    engine = build_model(RunConfig())
    for model in (lesson, engine):
        model.fit(x[:2048], y[:2048], batch_size=32, epochs=1, verbose=0)  # compile outside the timing
    fit_s = seconds(lambda: lesson.fit(x / 255, y, batch_size=32, epochs=1, verbose=0), 3)
    engine_s = seconds(lambda: engine.fit(x, y, batch_size=32, epochs=1, verbose=0), 3)

    one = data.test.images[:1].astype(np.float32)
    predict_ms = seconds(lambda: engine.predict(one, verbose=0), 20) * 1000
    on_batch_ms = seconds(lambda: engine.predict_on_batch(one), 200) * 1000
    ours_ms = seconds(lambda: predict_proba(engine, one), 300) * 1000

    print(f"data: {data.source}")
    print(f"{'load train + test':<52}{load_s:9.3f} s")
    print(f"{'60k-image epoch, the lesson: model.fit':<52}{fit_s:9.2f} s")
    print(f"{'60k-image epoch, the engine: XLA, 32 steps a call':<52}{engine_s:9.2f} s   ratio {engine_s / fit_s:.2f}")
    print(f"{'one image, model.predict':<52}{predict_ms:9.2f} ms")
    print(f"{'one image, predict_on_batch':<52}{on_batch_ms:9.2f} ms")
    print(f"{'one image, fmnist.evaluate.predict_proba':<52}{ours_ms:9.2f} ms")


if __name__ == "__main__":
    main()
