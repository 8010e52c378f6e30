"""What a trained model gets right and wrong: probabilities, accuracy, confusion, mistakes.

Images go in as the dataset stores them: (n, 28, 28) pixels in 0..255, uint8 or float.
Predictions never use `model.predict`, which costs about 50 ms a call for one image:
batches go through `predict_on_batch`, and single images through numpy for Dense models
(fmnist.numpy_forward, ~0.03 ms) or else an XLA-compiled call of the model (0.4 ms here,
against 0.6 ms for `predict_on_batch`). Batches of many go two chunks at a time: a training
process's ops each use half the cores (fmnist.threads), and one chunk at a time left the other
half idle (the CNN's test pass of 10,000 pictures after each epoch: 0.68 s, now 0.39 s; with
TensorFlow's own pools, as in the web server, 0.37 s either way).
"""

from __future__ import annotations

import concurrent.futures
import weakref

import numpy as np
import tensorflow as tf

from fmnist.numpy_forward import dense_forward

NUM_CLASSES = 10
PREDICT_CHUNK = 2048  # images per call: large enough to be fast, small enough to stay lean
_chunks_at_once = concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="predict")


def predict_proba(model, pixels: np.ndarray) -> np.ndarray:
    """(n, 10) float32 class probabilities for (n, 28, 28) pixels in 0..255."""
    pixels = np.asarray(pixels, dtype=np.float32)
    if pixels.ndim == 2:
        pixels = pixels[None]
    if len(pixels) == 0:
        return np.zeros((0, NUM_CLASSES), np.float32)
    if len(pixels) == 1:
        return np.asarray(_single_image_call(model)(pixels))
    model.make_predict_function()  # once, before two threads would each make it

    def chunk(start: int) -> np.ndarray:
        return np.asarray(model.predict_on_batch(pixels[start : start + PREDICT_CHUNK]))

    starts = range(0, len(pixels), PREDICT_CHUNK)
    chunks = _chunks_at_once.map(chunk, starts) if len(starts) > 1 else [chunk(0)]
    return np.concatenate(list(chunks)).astype(np.float32)


_single_image_calls: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _single_image_call(model):
    """The model's forward pass for a (1, 28, 28) batch, made once per model: in numpy for
    Dense models, else compiled by TensorFlow. For finished models: numpy keeps the weights
    it first saw."""
    if model not in _single_image_calls:
        _single_image_calls[model] = dense_forward(model) or tf.function(
            lambda x: model(x, training=False),
            input_signature=[tf.TensorSpec((1, 28, 28), tf.float32)],
            # XLA speeds up dense layers and slows convolutions on CPU (see fmnist.model).
            jit_compile=not any("conv" in type(layer).__name__.lower() for layer in model.layers),
        )
    return _single_image_calls[model]


def accuracy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(probabilities.argmax(axis=1) == labels))


def log_loss(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Mean sparse categorical cross-entropy, the loss the models train on."""
    picked = probabilities[np.arange(len(labels)), labels]
    return float(-np.mean(np.log(np.clip(picked, 1e-7, 1.0))))


def confusion_matrix(labels: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """(10, 10) int counts: row = true class, column = predicted class."""
    flat = np.bincount(labels * NUM_CLASSES + predicted, minlength=NUM_CLASSES * NUM_CLASSES)
    return flat.reshape(NUM_CLASSES, NUM_CLASSES)


def misclassified(probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Indices of the wrong predictions, the most confidently wrong first."""
    predicted = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predicted != labels)
    confidence = probabilities[wrong, predicted[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")]


def class_quality(probabilities: np.ndarray, labels: np.ndarray) -> dict[str, np.ndarray]:
    """Per class (10,): recall (= that class's accuracy), precision, and the test count."""
    matrix = confusion_matrix(labels, probabilities.argmax(axis=1))
    right = np.diag(matrix).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        recall = right / matrix.sum(axis=1)  # of the true Shirts, the share called Shirt
        precision = right / matrix.sum(axis=0)  # of those called Shirt, the share really Shirts
    return {"recall": recall, "precision": precision, "count": matrix.sum(axis=1)}


def top_confusions(probabilities: np.ndarray, labels: np.ndarray, limit: int = 10) -> list[tuple[int, int, int]]:
    """(true class, predicted class, count) of the commonest mistakes, commonest first."""
    matrix = confusion_matrix(labels, probabilities.argmax(axis=1))
    np.fill_diagonal(matrix, 0)
    order = np.argsort(-matrix, axis=None, kind="stable")[:limit]
    pairs = [(int(i // NUM_CLASSES), int(i % NUM_CLASSES)) for i in order]
    return [(t, p, int(matrix[t, p])) for t, p in pairs if matrix[t, p] > 0]


def suspicious_labels(probabilities: np.ndarray, labels: np.ndarray, confidence: float = 0.99) -> np.ndarray:
    """Test images the model puts in another class with at least this confidence: candidate
    labelling mistakes (Fashion-MNIST has some), most confident first."""
    wrong = misclassified(probabilities, labels)
    sure = probabilities[wrong, probabilities[wrong].argmax(axis=1)] >= confidence
    return wrong[sure]


def of_class(labels: np.ndarray, class_index: int | None) -> np.ndarray:
    """Indices of the pictures whose true class is class_index; all of them for None."""
    return np.arange(len(labels)) if class_index is None else np.flatnonzero(labels == class_index)


def mistakes(
    probabilities: np.ndarray, labels: np.ndarray, true_class: int | None = None, predicted_class: int | None = None
) -> np.ndarray:
    """The wrong answers, most confidently wrong first, of one true and/or one predicted class if given."""
    wrong = misclassified(probabilities, labels)
    predicted = probabilities.argmax(axis=1)
    keep = np.ones(len(wrong), bool)
    if true_class is not None:
        keep &= labels[wrong] == true_class
    if predicted_class is not None:
        keep &= predicted[wrong] == predicted_class
    return wrong[keep]


def in_cell(probabilities: np.ndarray, labels: np.ndarray, true_class: int, predicted_class: int) -> np.ndarray:
    """The pictures in one square of the confusion matrix, the model's surest first."""
    cell = np.flatnonzero((labels == true_class) & (probabilities.argmax(axis=1) == predicted_class))
    return cell[np.argsort(-probabilities[cell, predicted_class], kind="stable")]
