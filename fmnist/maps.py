"""Maps of the test pictures: each picture a point in two dimensions, placed by the pixels
themselves or by what a model's last hidden layer makes of them.

PCA is exact and fast (a 10,000-picture map in well under a second here); t-SNE, from
scikit-learn, keeps neighbours together better and costs ~3 s per 2,000 pictures on two cores,
so it maps a sample. `neighbours_agree` measures how well a map keeps the classes apart. No
Streamlit here.
"""

from __future__ import annotations

import keras
import numpy as np

PREDICT_CHUNK = 2048
TSNE_MOST = 2000  # pictures t-SNE maps: ~3 s here, ~30 s for 10,000


def hidden_features(model: keras.Model, pixels: np.ndarray) -> np.ndarray:
    """(n, d) float32: what the output layer reads for each (28, 28) 0..255 picture, that is the
    last hidden layer's activations (an MLP) or the flattened feature maps (a CNN)."""
    probe = keras.Model(model.inputs, model.layers[-1].input)
    pixels = np.asarray(pixels, np.float32)
    chunks = [
        np.asarray(probe.predict_on_batch(pixels[i : i + PREDICT_CHUNK])) for i in range(0, len(pixels), PREDICT_CHUNK)
    ]
    return np.concatenate(chunks).reshape(len(pixels), -1).astype(np.float32)


def pixel_features(pixels: np.ndarray) -> np.ndarray:
    """(n, 784) float32 in [0, 1]: the pictures as rows of pixels, as an MLP first sees them."""
    return np.asarray(pixels, np.float32).reshape(len(pixels), -1) / 255


def pca(features: np.ndarray, dims: int = 2) -> np.ndarray:
    """(n, dims) float32: the features along their `dims` directions of largest variance."""
    centred = features - features.mean(axis=0)
    covariance = centred.T @ centred  # (d, d): cheaper than an SVD of (n, d) for n >> d
    values, vectors = np.linalg.eigh(covariance.astype(np.float64))
    top = vectors[:, np.argsort(values)[::-1][:dims]].astype(np.float32)
    points = centred @ top
    # A direction's sign is arbitrary: fix it so that a map does not flip between two runs of it.
    signs = np.sign(points[np.abs(points).argmax(axis=0), range(dims)])
    return (points * np.where(signs == 0, 1, signs)).astype(np.float32)


def sample(count: int, most: int = TSNE_MOST, seed: int = 0) -> np.ndarray:
    """Sorted indices of at most `most` of `count` pictures, the same ones for the same seed."""
    if count <= most:
        return np.arange(count)
    return np.sort(np.random.default_rng(seed).choice(count, most, replace=False))


def tsne(features: np.ndarray, seed: int = 0) -> np.ndarray:
    """(n, 2) float32 t-SNE map (scikit-learn), after PCA to 50 dimensions as is usual."""
    from sklearn.manifold import TSNE

    reduced = pca(features, min(50, features.shape[1])) if features.shape[1] > 50 else features
    perplexity = min(30.0, max(2.0, (len(features) - 1) / 3))
    return TSNE(2, perplexity=perplexity, init="pca", random_state=seed).fit_transform(reduced).astype(np.float32)


def neighbours_agree(points: np.ndarray, labels: np.ndarray) -> float:
    """The share of pictures whose nearest other picture on the map has the same class: near
    0.1 for classes thrown together, near 1 for classes kept apart."""
    from scipy.spatial import cKDTree

    _, nearest = cKDTree(points).query(points, k=2)
    return float(np.mean(labels[nearest[:, 1]] == labels))
