"""Keras models built from a RunConfig.

Every model here takes raw pixels, (n, 28, 28) float32 in 0..255 as the dataset stores
them, and returns (n, 10) class probabilities. Normalisation is the model's first layer
(Rescaling by 1/255) rather than a step in the data pipeline, so a saved .keras file
carries it, and the lesson's "no normalisation" experiment is that layer left out.
"""

from __future__ import annotations

import functools
import os
import zipfile
from pathlib import Path

import keras
from keras import layers

from fmnist import settings
from fmnist.config import AUGMENT_SHIFT, AUGMENT_TURN, AUGMENT_ZOOM, CNN_FILTERS, RunConfig

NUM_CLASSES = 10
IMAGE_SHAPE = (28, 28)

# Keras runs several training steps per Python call. At batch 32 this still hands control
# back to Python ~30 times a second, often enough for progress reports and a prompt stop.
STEPS_PER_EXECUTION = 32
# XLA makes the MLP's epoch ~4x faster on CPU (Keras leaves it off on CPU unless asked),
# but the CNN's ~3x slower (measured: 6.7 s vs 2.0 s per 7k-image epoch), so MLPs only.
JIT_ARCHITECTURES = ("mlp",)
# The CNN trains with its layers computing in bfloat16 (weights kept in float32: Keras'
# mixed_bfloat16) where oneDNN can use the CPU's bfloat16 instructions: a training step of 32
# then takes ~4 ms instead of ~5.7 ms here (AMD EPYC, AVX512-BF16), and 10 epochs on the 8k
# folder are as accurate. Without oneDNN, bfloat16 took 5-8x longer than float32.
BFLOAT16_ARCHITECTURES = ("cnn",)
MIXED = "mixed_bfloat16"
BFLOAT16_FLAGS = ("avx512_bf16", "amx_bf16")  # /proc/cpuinfo's names for those instructions


def training_dtype(config: RunConfig) -> str:
    """The Keras dtype policy the config's model trains in: MIXED or float32."""
    if config.arch in BFLOAT16_ARCHITECTURES and settings.BFLOAT16 and cpu_has_bfloat16():
        return MIXED
    return "float32"


@functools.cache
def cpu_has_bfloat16() -> bool:
    """Whether models train on a CPU whose bfloat16 instructions oneDNN uses (Linux only),
    with no GPU (a GPU's arithmetic is left as TensorFlow chooses)."""
    if os.environ.get("TF_ENABLE_ONEDNN_OPTS") == "0":
        return False
    try:
        flags = Path("/proc/cpuinfo").read_text().split()
    except OSError:
        return False
    import tensorflow as tf

    return any(flag in flags for flag in BFLOAT16_FLAGS) and not tf.config.list_physical_devices("GPU")


def build_model(config: RunConfig, dtype: str = "float32") -> keras.Model:
    """An uncompiled-weights, compiled-for-training model for the config. dtype: its layers'
    Keras dtype policy (the engine trains in `training_dtype(config)`); the probabilities are
    float32 either way."""
    inputs = keras.Input(shape=IMAGE_SHAPE, name="pixels")  # (n, 28, 28) 0..255
    x = layers.Rescaling(1 / 255, name="normalise")(inputs) if config.normalize else inputs
    if config.arch == "cnn" or config.augment:
        x = layers.Reshape((*IMAGE_SHAPE, 1), name="add_channel")(x)  # (n, 28, 28, 1): what image layers take
    if config.augment:
        x = augmentation(x)
    if config.arch == "cnn":
        for i, filters in enumerate(CNN_FILTERS, start=1):
            x = layers.Conv2D(filters, 3, activation=config.activation, name=f"conv_{i}", dtype=dtype)(x)
            x = layers.MaxPooling2D(2, name=f"pool_{i}", dtype=dtype)(x)
        x = layers.Flatten(name="flatten", dtype=dtype)(x)
        if config.dropout:
            x = layers.Dropout(config.dropout, name="dropout", dtype=dtype)(x)
    else:
        x = layers.Flatten(name="flatten")(x)  # 28x28 -> 784
        for i, units in enumerate(config.hidden_units, start=1):
            x = layers.Dense(units, activation=config.activation, name=f"hidden_{i}", dtype=dtype)(x)
            if config.dropout:
                x = layers.Dropout(config.dropout, name=f"dropout_{i}", dtype=dtype)(x)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax", name="probabilities", dtype="float32")(x)
    model = keras.Model(inputs, outputs, name=config.arch)
    model.compile(
        optimizer=make_optimizer(config),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        jit_compile=runs_in_xla(config),
        steps_per_execution=STEPS_PER_EXECUTION,
    )
    return model


def in_float32(model: keras.Model, config: RunConfig) -> keras.Model:
    """The model as one computing in float32 throughout, with the same weights (copied, not
    shared; `copy_weights` brings them up to date): what is saved, shown and classified with.
    The model itself when it is float32 already."""
    if all(layer.dtype_policy.name == "float32" for layer in model.layers):
        return model
    plain = build_model(config)
    copy_weights(model, plain)
    return plain


def copy_weights(source: keras.Model, target: keras.Model) -> None:
    """The source's weights and optimizer state into a model of the same layers, so that the
    target saves as the source would (loading a .keras file whose optimizer was never built
    warns about skipped variables)."""
    target.set_weights(source.get_weights())
    if source.optimizer.built:
        if not target.optimizer.built:
            target.optimizer.build(target.trainable_variables)
        for theirs, ours in zip(source.optimizer.variables, target.optimizer.variables, strict=True):
            ours.assign(theirs)


def runs_in_xla(config: RunConfig) -> bool:
    """Whether XLA compiles this model's training: MLPs only, and none with augmentation (kept
    out while the random moves were ops in the training step, which XLA could not compile; the
    moves are now made outside it, fmnist.augment, and an augmented MLP under XLA is unmeasured)."""
    return config.arch in JIT_ARCHITECTURES and not config.augment


def augmentation(x):
    """Random changes made to each training picture (none at prediction time).

    People's photos are not Fashion-MNIST: shoes point either way (the dataset's all point
    left), garments lie a little turned, off-centre, cropped loosely or tightly. (The engine
    also makes tops wider or narrower, fmnist.augment.random_moves: a layer never sees labels.)
    """
    x = layers.RandomFlip("horizontal", name="mirror")(x)
    if AUGMENT_TURN:
        x = layers.RandomRotation(AUGMENT_TURN, fill_mode="constant", name="turn")(x)
    if AUGMENT_SHIFT:
        x = layers.RandomTranslation(AUGMENT_SHIFT, AUGMENT_SHIFT, fill_mode="constant", name="shift")(x)
    if AUGMENT_ZOOM:
        x = layers.RandomZoom((-AUGMENT_ZOOM, AUGMENT_ZOOM), fill_mode="constant", name="zoom")(x)
    return x


def make_optimizer(config: RunConfig) -> keras.optimizers.Optimizer:
    """The optimizer Keras knows by the config's name (fmnist.config.OPTIMIZERS)."""
    return keras.optimizers.get({"class_name": config.optimizer, "config": {"learning_rate": config.learning_rate}})


class ModelError(Exception):
    """A .keras file that cannot be used here; the message is one line for people."""


def load_model(path, name: str | None = None) -> keras.Model:
    """A saved classifier of (n, 28, 28) pixels in 0..255 into (n, 10) probabilities.

    The file is checked before Keras opens it: a .keras file is a zip archive, and one whose
    parts claim more than settings.MAX_MODEL_MB unpacked is refused unopened (Keras' own
    check starts at 4 GiB). Keras loads in safe mode: no code from the file ever runs.
    Every refusal is a ModelError of one line, in plain words, naming the file as `name`
    (default: the file's own name)."""
    name = name or Path(path).name
    _check_archive(Path(path), name)
    try:
        model = keras.saving.load_model(path, safe_mode=True)
    except Exception as error:
        raise ModelError(f"{name}: {_in_plain_words(error)}") from None
    inputs, outputs = tuple(model.input_shape[1:]), tuple(model.output_shape[1:])
    if inputs != IMAGE_SHAPE or outputs != (NUM_CLASSES,):
        raise ModelError(
            f"{name} maps {inputs} to {outputs}; this app needs a (28, 28) -> (10,) Fashion-MNIST classifier"
        )
    return model


def _check_archive(path: Path, name: str) -> None:
    if not path.is_file():
        raise ModelError(f"{name}: no such file")
    if not zipfile.is_zipfile(path):
        raise ModelError(f"{name} is not a Keras model file (a .keras file is a zip archive, as model.save writes it)")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise ModelError(f"{name} is a damaged zip archive ({error})") from None
    if unpacked > settings.MAX_MODEL_MB * 2**20:
        raise ModelError(
            f"{name} would unpack to {unpacked / 2**20:,.0f} MB; models here unpack to at most "
            f"{settings.MAX_MODEL_MB:g} MB (FMNIST_MAX_MODEL_MB), so it was not opened"
        )


def _in_plain_words(error: Exception) -> str:
    """What went wrong loading a model, in one line, never suggesting that code be allowed to run."""
    text = str(error)
    if "safe_mode" in text or "Lambda" in text or "arbitrary code" in text:
        return "it contains code (a Lambda layer or a custom function), which this app never runs"
    if "could not be deserialized" in text or "Could not locate" in text or "Unknown" in text:
        return (
            "it uses a layer, activation or setting this app's Keras cannot rebuild "
            "(a custom one, or one from another Keras version)"
        )
    first_line = text.splitlines()[0] if text else type(error).__name__
    return f"not a Keras model this app can load ({first_line[:160]})"
