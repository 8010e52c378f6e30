"""One picture through a Dense model in numpy: the answer to every stroke on the drawing pad.

A call of a Keras model costs ~0.4-0.7 ms for one picture even compiled by XLA: TensorFlow's
dispatch, not the arithmetic, which for the lesson's model is 100,000 multiply-adds (~20 µs
in numpy). Models built only of the layers below run here instead; any other layer (a
convolution, a custom one) makes `dense_forward` return None and the caller uses Keras.
The weights are read once, when `dense_forward` is called (reading a TensorFlow variable
costs ~0.1 ms, more than the arithmetic): it is for a model that has finished training.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np

_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0),
    "sigmoid": lambda x: 0.5 * (1 + np.tanh(0.5 * x)),  # the logistic function, with no overflow
    "tanh": np.tanh,
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
    "softmax": lambda x: _softmax(x),
}
# Layers that do nothing to a picture at prediction time.
_PASS_THROUGH = (keras.layers.InputLayer, keras.layers.Dropout, keras.layers.Reshape, keras.layers.Flatten)


def dense_forward(model: keras.Model) -> Callable[[np.ndarray], np.ndarray] | None:
    """A function of (n, 28, 28) float32 pixels giving the model's (n, 10) probabilities, or
    None when the model has a layer this module does not compute."""
    steps = []
    for layer in model.layers:
        if isinstance(layer, _PASS_THROUGH) or type(layer).__name__.startswith("Random"):
            continue  # (Random* layers change pictures in training only)
        if isinstance(layer, keras.layers.Rescaling):
            steps.append(_rescaling(layer))
        elif isinstance(layer, keras.layers.Dense) and _activation_name(layer) in _ACTIVATIONS:
            steps.append(_dense(layer))
        else:
            return None

    def forward(pixels: np.ndarray) -> np.ndarray:
        x = pixels.reshape(len(pixels), -1)
        for step in steps:
            x = step(x)
        return x.astype(np.float32, copy=False)

    return forward


def _rescaling(layer: keras.layers.Rescaling):
    scale, offset = np.float32(layer.scale), np.float32(layer.offset)
    return lambda x: x * scale + offset


def _dense(layer: keras.layers.Dense):
    activation = _ACTIVATIONS[_activation_name(layer)]
    kernel = layer.kernel.numpy()
    bias = layer.bias.numpy() if layer.bias is not None else np.float32(0)
    return lambda x: activation(x @ kernel + bias)


def _activation_name(layer: keras.layers.Dense) -> str:
    return getattr(layer.activation, "__name__", "")


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
