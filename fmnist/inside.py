"""Inside a model: what its units learned, and what one picture does to every layer.

- `unit_pictures`: a dense model's first hidden units, each one's 784 incoming weights laid
  out as the 28 x 28 picture they read;
- `unit_importance`: how much each of those units adds to each class's score on average;
- `walk`: one picture through every layer, with the strongest paths to its answer;
- `filters`: a convolution's filters, one small picture per filter and input channel.

Pixels go in as the models take them: (n, 28, 28) float32 in 0..255. Works for the models this
app builds (fmnist.model) and loaded ones made of the same kinds of layers. No Streamlit here.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

IMAGE_PIXELS = 28 * 28
PATH_WIDTH = 5  # units per layer on the strongest paths: enough to see, few enough to follow


def hidden_dense(model: keras.Model) -> list[keras.layers.Dense]:
    """The model's Dense layers before its output layer, input to output."""
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    return dense[:-1]


def convolutions(model: keras.Model) -> list[keras.layers.Conv2D]:
    return [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]


def reads_pixels(model: keras.Model) -> bool:
    """Whether the first hidden layer is dense and reads the 784 pixels directly (an MLP)."""
    dense = hidden_dense(model)
    return bool(dense) and not convolutions(model) and dense[0].kernel.shape[0] == IMAGE_PIXELS


def unit_pictures(model: keras.Model) -> np.ndarray:
    """(units, 28, 28) float32: each first-layer unit's incoming weights where its pixels are.

    Positive weights are pixels whose brightness makes the unit fire; negative ones hold it back.
    The weights are read as they are now: while the model trains, they are the latest step's."""
    kernel = np.asarray(hidden_dense(model)[0].kernel)  # (784, units)
    return kernel.T.reshape(-1, 28, 28).astype(np.float32)


def starting_unit_pictures(config) -> np.ndarray:
    """`unit_pictures` of the model `config` builds before its first step: the random weights a
    run of these settings (and seed) starts from, as `fmnist.train` seeds them."""
    from fmnist.model import build_model

    keras.utils.set_random_seed(config.seed)
    return unit_pictures(build_model(config))


def filters(layer: keras.layers.Conv2D) -> np.ndarray:
    """(filters, input channels, k, k) float32: each filter's weights on each map it reads."""
    kernel = np.asarray(layer.kernel)  # (k, k, in, out)
    return kernel.transpose(3, 2, 0, 1).astype(np.float32)


# --- what each unit adds to each class ------------------------------------------------------


def unit_importance(model: keras.Model, images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """(10, units) float32: for each class, each first-layer unit's average share of that
    class's score (the output layer's input to softmax) over the test pictures of that class.

    A unit's share is its activation times the gradient of the score with respect to it: with
    one hidden layer, exactly the activation times the unit's weight to the class."""
    images = np.asarray(images, np.float32)
    share = _share_call(model)
    importance = []
    for class_index in range(model.output_shape[-1]):
        pictures = images[labels == class_index]
        if len(pictures) == 0:
            importance.append(np.zeros(hidden_dense(model)[0].units, np.float32))
            continue
        importance.append(share(tf.constant(pictures), tf.constant(class_index)).numpy())
    return np.stack(importance)


_share_calls: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _share_call(model: keras.Model):
    if model not in _share_calls:
        first = hidden_dense(model)[0]
        before, after = _split_at(model, first)

        @tf.function(reduce_retracing=True)
        def share(x, class_index):
            activations = _apply(before, x)
            with tf.GradientTape() as tape:
                tape.watch(activations)
                scores = _scores(after, activations)
                total = tf.reduce_sum(scores[:, class_index])
            return tf.reduce_mean(activations * tape.gradient(total, activations), axis=0)

        _share_calls[model] = share
    return _share_calls[model]


def _split_at(model: keras.Model, layer) -> tuple[list, list]:
    """The model's layers up to and including `layer`, and the ones after it, as they apply at
    prediction time (no augmentation, no dropout, no input layer)."""
    applied = [
        layer
        for layer in model.layers
        if not isinstance(layer, keras.layers.InputLayer | keras.layers.Dropout) and not _augments(layer)
    ]
    cut = applied.index(layer) + 1
    return applied[:cut], applied[cut:]


def _augments(layer) -> bool:
    return type(layer).__name__.startswith("Random")


def _apply(layers: list, x):
    for layer in layers:
        x = layer(x, training=False) if _takes_training(layer) else layer(x)
    return x


def _takes_training(layer) -> bool:
    return isinstance(layer, keras.layers.BatchNormalization)


def _scores(layers: list, x):
    """The output layer's scores before softmax, from the input of `layers`."""
    *middle, output = layers
    x = _apply(middle, x)
    return tf.matmul(x, output.kernel) + output.bias


# --- one picture through every layer ---------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """One layer's output for the picture."""

    name: str  # the layer's name in the model, e.g. 'hidden_1'
    kind: str  # 'dense', 'conv', 'pool', 'output' (others are not walked)
    values: np.ndarray  # dense: (units,); conv and pool: (h, w, maps); output: (10,) probabilities


@dataclass(frozen=True)
class Path:
    """A link on the strongest paths: unit `source` of stage `from_stage` adds `strength` to unit
    `target` of the next walked dense stage (its activation times the weight between them)."""

    from_stage: int  # index into Walk.stages; -1 for the picture itself
    source: int
    target: int
    strength: float


@dataclass(frozen=True)
class Walk:
    stages: list[Stage]
    paths: list[Path] = field(default_factory=list)  # dense models only

    @property
    def probabilities(self) -> np.ndarray:
        return self.stages[-1].values

    @property
    def answer(self) -> int:
        return int(np.argmax(self.probabilities))


def walk(model: keras.Model, pixels: np.ndarray, width: int = PATH_WIDTH) -> Walk:
    """The picture's (28, 28) 0..255 journey: every dense, convolution and pooling layer's
    output and the ten probabilities; for dense models also the strongest paths from the
    picture through the `width` strongest units of each hidden layer to the answer."""
    layers = _walked(model)
    outputs = _walk_call(model)(np.asarray(pixels, np.float32).reshape(1, 28, 28))
    stages = [
        Stage(layer.name, _kind(layer, model), np.asarray(output)[0])
        for layer, output in zip(layers, outputs, strict=True)
    ]
    paths = _strongest_paths(stages, layers, width) if not convolutions(model) else []
    return Walk(stages, paths)


def _walked(model: keras.Model) -> list:
    kinds = (keras.layers.Dense, keras.layers.Conv2D, keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)
    return [layer for layer in model.layers if isinstance(layer, kinds)]


def _kind(layer, model: keras.Model) -> str:
    if layer is model.layers[-1]:
        return "output"
    if isinstance(layer, keras.layers.Dense):
        return "dense"
    return "conv" if isinstance(layer, keras.layers.Conv2D) else "pool"


_walk_calls: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _walk_call(model: keras.Model):
    """Every walked layer's output for a (1, 28, 28) batch: one traced call per model (~1 ms)."""
    if model not in _walk_calls:
        probe = keras.Model(model.inputs, [layer.output for layer in _walked(model)])
        _walk_calls[model] = tf.function(
            lambda x: probe(x, training=False), input_signature=[tf.TensorSpec((1, 28, 28), tf.float32)]
        )
    return _walk_calls[model]


def _strongest_paths(stages: list[Stage], layers: list, width: int) -> list[Path]:
    """From the answer back to the picture: at each layer, the `width` units adding most to the
    units already on the paths. Links into the first hidden layer start at the picture (-1)."""
    answer = int(np.argmax(stages[-1].values))
    targets = [answer]
    paths: list[Path] = []
    for index in range(len(stages) - 1, 0, -1):  # the link from stage index-1 into stage index
        source_values = stages[index - 1].values
        kernel = np.asarray(layers[index].kernel)  # (sources, targets)
        shares = source_values[:, None] * kernel[:, targets]  # (sources, len(targets))
        strongest = np.argsort(-shares.sum(axis=1))[:width]
        for source in strongest:
            for column, target in enumerate(targets):
                if shares[source, column] > 0:
                    paths.append(Path(index - 1, int(source), int(target), float(shares[source, column])))
        targets = [int(source) for source in strongest]
    for target in targets:  # the first hidden layer's units take their activation from the picture
        paths.append(Path(-1, 0, target, float(stages[0].values[target])))
    return paths[::-1]


def what_the_units_saw(model: keras.Model, pixels: np.ndarray, units: list[int]) -> np.ndarray:
    """(len(units), 28, 28) float32: the picture's pixels (scaled as the model scales them) times
    each first-layer unit's weights: where this picture pushed the unit up (positive) or down."""
    scale = 1 / 255 if any(isinstance(layer, keras.layers.Rescaling) for layer in model.layers) else 1.0
    seen = np.asarray(pixels, np.float32).reshape(28, 28) * scale * unit_pictures(model)[list(units)]
    return seen.astype(np.float32)
