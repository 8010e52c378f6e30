"""The answer for one picture, and why: probabilities, a guard, saliency, nearest training pictures.

`classify` is the one path from a person's picture to the model's answer, for the Classify
page, the command line and the benchmarks alike. Pixels go in as the model takes them:
(28, 28) float32 in 0..255, garment bright on black.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import tensorflow as tf
from PIL import Image

from fmnist.evaluate import accuracy, predict_proba
from fmnist.preprocess import DRAWN, Prepared, open_image, to_model_input

UNSURE_BELOW = 0.5  # a best class under this probability is "not sure": a hard picture, or none of the ten
CONFIDENT, UNSURE = "confident", "unsure"


@dataclass(frozen=True)
class Answer:
    probabilities: np.ndarray  # (10,) float32, adding up to 1
    mirrored: bool  # averaged with the prediction for the mirror image

    @property
    def ranked(self) -> list[int]:
        """Class indices, most probable first."""
        return [int(i) for i in np.argsort(-self.probabilities, kind="stable")]

    @property
    def verdict(self) -> str:
        return CONFIDENT if self.probabilities.max() >= UNSURE_BELOW else UNSURE


def classify(
    model, picture: Image.Image | bytes, *, drawing: bool | None = None, mirror: bool = False
) -> tuple[Prepared, Answer | None]:
    """A picture (file bytes or a decoded image) -> what the model saw, and its answer (None
    when there is nothing to classify). drawing: True for the drawing pad, None to decide from
    the picture. mirror: also average with the mirror image, for photos; a drawing is turned
    to face as the dataset's garments do instead. ImageError for a file that is no picture."""
    image = open_image(picture) if isinstance(picture, bytes) else picture
    prepared = to_model_input(image, drawing)
    if prepared.blank:
        return prepared, None
    return prepared, answer(model, prepared.views, mirror=mirror and prepared.method != DRAWN)


def answer(model, views: np.ndarray, mirror: bool = False) -> Answer:
    """The model's probabilities for one picture, (28, 28) in 0..255 or several (k, 28, 28)
    views of it averaged, optionally each with its mirror image."""
    views = np.asarray(views, np.float32).reshape(-1, 28, 28)
    if mirror:
        views = np.concatenate([views, views[:, :, ::-1]])
    probabilities = predict_proba(model, views).mean(axis=0)
    return Answer(probabilities=probabilities.astype(np.float32), mirrored=mirror)


@dataclass(frozen=True)
class MirrorCheck:
    """Does averaging with the mirror image help this model on pictures that face either way?

    Measured on the test split with every other picture mirrored: Fashion-MNIST's shoes all
    point left, people's point either way. On the split as it is, averaging can only lose.
    """

    plain: float  # accuracy of the pictures as they are
    mirrored: float  # accuracy when each prediction is averaged with its mirror image's

    @property
    def helps(self) -> bool:
        return self.mirrored > self.plain


def check_mirror(model, images: np.ndarray, labels: np.ndarray) -> MirrorCheck:
    either_way = np.array(images, dtype=np.float32)
    either_way[1::2] = either_way[1::2, :, ::-1]
    plain = predict_proba(model, either_way)
    flipped = predict_proba(model, either_way[:, :, ::-1])
    return MirrorCheck(plain=accuracy(plain, labels), mirrored=accuracy((plain + flipped) / 2, labels))


def learnt_from_mirror_images(model) -> bool:
    """Whether the model trained on mirrored copies (a Keras RandomFlip layer that flips
    left and right): for it a garment and its mirror image are the same garment, and averaging
    the two is what to do when there is no test split to measure it on (the photo CNN, five
    seeds: real photos 0.600 -> 0.614, class-balanced 0.518 -> 0.591)."""
    return any(type(layer).__name__ == "RandomFlip" and "horizontal" in layer.mode for layer in model.layers)


def saliency(model, pixels: np.ndarray, class_index: int) -> np.ndarray:
    """(28, 28) float32 in [-1, 1]: how much each pixel pushed towards class_index (gradient x input).

    Positive where the pixel's brightness raised the class's log-probability, negative where
    it lowered it; black pixels contribute nothing, as they carry no brightness.
    """
    contribution = _saliency_call(model)(np.asarray(pixels, np.float32)[None], tf.constant(class_index)).numpy()
    scale = np.abs(contribution).max()
    return (contribution / scale if scale > 0 else contribution).astype(np.float32)


_saliency_calls: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _saliency_call(model):
    """Gradient x input for a (1, 28, 28) batch, traced once per model (eager: 14 ms, traced: ~1 ms)."""
    if model not in _saliency_calls:

        @tf.function(input_signature=[tf.TensorSpec((1, 28, 28), tf.float32), tf.TensorSpec((), tf.int32)])
        def call(x, class_index):
            with tf.GradientTape() as tape:
                tape.watch(x)
                log_probability = tf.math.log(model(x, training=False)[0, class_index] + 1e-9)
            return (tape.gradient(log_probability, x) * x)[0]

        _saliency_calls[model] = call
    return _saliency_calls[model]


class Neighbours:
    """The training pictures nearest to a picture, pixel by pixel (Euclidean distance).

    A search over all training pictures in 784 dimensions costs ~190 MB as float32 for 60,000.
    Instead they are kept as PCA_DIMS numbers each (12 MB), the nearest CANDIDATES found
    there, and those re-ranked by their exact pixel distance.
    """

    PCA_DIMS = 48
    CANDIDATES = 64

    def __init__(self, images: np.ndarray, labels: np.ndarray, seed: int = 0):
        self.images, self.labels = images, labels  # (n, 28, 28) uint8, (n,)
        flat = images.reshape(len(images), -1)
        sample = flat[np.random.default_rng(seed).choice(len(flat), min(len(flat), 5000), replace=False)]
        self.mean = sample.mean(axis=0, dtype=np.float32)
        _, _, components = np.linalg.svd(sample.astype(np.float32) - self.mean, full_matrices=False)
        self.basis = components[: self.PCA_DIMS].T.astype(np.float32)  # (784, PCA_DIMS)
        self.codes = np.concatenate(
            [(chunk.astype(np.float32) - self.mean) @ self.basis for chunk in np.array_split(flat, 16)]
        )
        self.code_norms = (self.codes**2).sum(axis=1)  # |c|^2, so a search is one matrix-vector product

    def nearest(self, pixels: np.ndarray, k: int = 6) -> tuple[np.ndarray, np.ndarray]:
        """Indices of the k nearest training pictures and their pixel distances, nearest first."""
        query = np.asarray(pixels, np.float32).reshape(-1)
        code = (query - self.mean) @ self.basis
        distances = self.code_norms - 2 * (self.codes @ code)  # |c - q|^2 less |q|^2, the same for every c
        candidates = np.argpartition(distances, min(self.CANDIDATES, len(distances) - 1))[: self.CANDIDATES]
        exact = np.linalg.norm(self.images[candidates].reshape(len(candidates), -1).astype(np.float32) - query, axis=1)
        order = np.argsort(exact)[:k]
        return candidates[order], exact[order]
