"""`fit_in_chunks`: `model.fit` for in-memory images, with whole stretches of an epoch run as
one TensorFlow computation.

Keras' own `fit` returns to Python, or at best to a `tf.data` iterator, between training
steps. For this app's small models that bookkeeping costs as much as the arithmetic. Here a
`tf.while_loop` runs Keras' own `train_step` over batches read from one array already in
memory, a chunk of steps per Python call. Measured on these 2 cores, 60,000 pictures a
batch of 32:

- the lesson's MLP, compiled by XLA (`jit_compile=True`): 0.3-0.45 s an epoch, where the
  lesson's `fit` takes 3-4.5 s and `fit` with XLA and `steps_per_execution` ~1.1 s;
- the lesson's CNN, without XLA (XLA's CPU convolutions are ~10x slower than TensorFlow's
  oneDNN ones): ~10.5 s an epoch, where `fit` takes ~22 s.

Between chunks the callbacks hear about progress and can stop the run
(`model.stop_training`), so a page's bar moves and Stop answers within ~0.1 s. Callbacks are
called as `fit` calls them (train begin, epoch begin, batch end once per chunk, epoch end,
train end), and epochs see the images in a fresh random order as `fit` does.

A model with random augmentation layers (Keras' RandomFlip, RandomRotation, ...) trains
without them, on pictures moved by `augment` instead: a whole epoch's pictures at once, on a
thread of its own while the previous epoch trains, off the training step's path (Keras' four
layers cost more than the convolutions; the same moves as one op in the step ~0.6 ms of ~3.1).
A model with convolutions computes each batch as two halves side by side (`_InHalves`): a
training process runs each op on half the cores and two ops at a time (fmnist.threads), and one
batch's chain of small ops left the second op's place mostly empty. Same batch, same loss and
gradients (the mean over both halves), one optimizer step: the CNN's step 2.83 -> 2.6 ms here.
Without XLA, Dropout draws its mask as `_QuickDropout` does (half the random numbers Keras' own
draws, and not in bfloat16): ~6% of the photo CNN's epoch. The saved model keeps Keras' layer.
Nothing here knows about Streamlit or about this app's configs.
"""

from __future__ import annotations

import concurrent.futures
import threading
import time
from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf

CHUNK_S = 0.1  # aim for chunks this long: progress moves, Stop answers quickly
FIRST_CHUNK_STEPS = 8  # the first chunk also compiles; later ones are sized from the pace
MAX_CHUNK_STEPS = 4096

# (images (n, 28, 28), labels (n,), generator) -> the images moved at random, same shape and dtype
Augment = Callable[[np.ndarray, np.ndarray, np.random.Generator], np.ndarray]


def fit_in_chunks(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    epochs: int,
    callbacks: list[keras.callbacks.Callback],
    seed: int = 0,
    jit_compile: bool = True,
    augment: Augment | None = None,
) -> None:
    """Train a compiled model as `model.fit(x, y, batch_size, epochs, callbacks=...)` would.

    x: (n, ...) images of any dtype (cast to float32 batch by batch, so uint8 stays uint8 in
    memory); y: (n,) integer labels. The last batch of an epoch may be smaller, as in `fit`.
    jit_compile: run each chunk as one XLA computation (fast for Dense layers, slow for
    convolutions). augment: applied to the pictures once an epoch in place of the model's own
    random layers, which are left out of training.
    """
    if np.issubdtype(y.dtype, np.integer):
        y = y.astype(np.int32)  # what the loss takes without a cast per step
    callback_list = keras.callbacks.CallbackList(callbacks, model=model)
    full_steps, remainder = divmod(len(x), batch_size)
    steps = full_steps + bool(remainder)
    order = np.random.default_rng(seed)
    moving = _EpochsMoved(x, y, augment, np.random.default_rng([seed, 1])) if augment else None
    model.stop_training = False
    trained = model
    if augment or not jit_compile:
        trained = _training_twin(model, leave_out_random=bool(augment), quick_dropout=not jit_compile, seed=seed)
    if _has_convolutions(model):
        trained = _InHalves(trained, model)
    train_step = _step_function(trained)
    # With jit_compile, the first chunk runs without XLA (tracing it takes ~0.15 s) and the XLA
    # function compiles on another thread meanwhile (~0.5 s): the first progress comes ~0.45 s
    # sooner, the whole run ~0.3 s later.
    run_chunk = _chunk_function(trained, train_step, jit_compile=False)
    compiled = None

    callback_list.on_train_begin()
    try:
        for epoch in range(epochs):
            trained.reset_metrics()
            callback_list.on_epoch_begin(epoch)
            pictures = moving.next(more=epoch + 1 < epochs) if moving else x
            shuffled = order.permutation(len(x))
            # (full_steps, batch, ...): batch i is one index into the first axis, which XLA reads
            # in place (gathering rows from a flat array made it copy the whole array per step).
            in_batches = shuffled[: full_steps * batch_size].reshape(full_steps, batch_size)
            batches_x, batches_y = tf.convert_to_tensor(pictures[in_batches]), tf.convert_to_tensor(y[in_batches])
            logs, done, chunk = {}, 0, FIRST_CHUNK_STEPS
            if epoch == 0 and full_steps:  # one step outside the loop builds the optimizer's and metrics' variables
                logs = train_step(batches_x[0], batches_y[0])
                done = 1
            while done < full_steps and not model.stop_training:
                end = min(full_steps, done + chunk)
                started = time.perf_counter()
                if compiled is not None and run_chunk is not compiled.function and compiled.wait(model):
                    run_chunk = compiled.function  # XLA from here on
                logs = run_chunk(batches_x, batches_y, tf.constant(done), tf.constant(end))
                seconds_per_step = (time.perf_counter() - started) / (end - done)
                chunk = int(np.clip(CHUNK_S / max(seconds_per_step, 1e-6), 1, MAX_CHUNK_STEPS))
                done = end
                if jit_compile and compiled is None:  # the optimizer is built, the first chunk traced
                    compiled = _compiled_in_background(trained, train_step, batches_x.shape, batches_x.dtype)
                callback_list.on_train_batch_end(done - 1, logs)
            # The short last batch, outside the loop: one shape less to compile.
            if remainder and not model.stop_training:
                rest = shuffled[full_steps * batch_size :]
                logs = train_step(tf.constant(pictures[rest]), tf.constant(y[rest]))
                callback_list.on_train_batch_end(steps - 1, logs)
            callback_list.on_epoch_end(epoch, {name: float(value) for name, value in logs.items()})
            if model.stop_training:
                break
    finally:  # a stopped or failed run leaves no epoch being moved
        if moving:
            moving.close()
    callback_list.on_train_end()


def _chunk_function(model: keras.Model, train_step, jit_compile: bool):
    """One computation running `train_step` on batches[start:stop]."""

    @tf.function(jit_compile=jit_compile)
    def run_chunk(batches_x, batches_y, start, stop):
        def one_step(i):
            train_step(batches_x[i], batches_y[i])
            return (i + 1,)

        tf.while_loop(lambda i: i < stop, one_step, (start,))
        return model.get_metrics_result()  # running loss and accuracy over the epoch so far

    return run_chunk


class _Compiling:
    """An XLA chunk function being compiled on another thread."""

    def __init__(self, function) -> None:
        self.function, self.ready, self.failed = function, threading.Event(), False

    def wait(self, model: keras.Model) -> bool:
        """Until it is compiled (True) or the run is stopped meanwhile; False if compiling failed.
        Training without XLA meanwhile would only slow the compiling down (2 cores)."""
        while not self.ready.wait(0.02) and not model.stop_training:
            pass
        return self.ready.is_set() and not self.failed


def _compiled_in_background(model, train_step, batches_shape, dtype) -> _Compiling:
    """Compile the XLA chunk function while the first chunk's progress is reported. The
    compiling call runs no step (start == stop), so it changes no weight."""
    compiling = _Compiling(_chunk_function(model, train_step, jit_compile=True))

    def compile_it() -> None:
        none = tf.constant(0)
        try:
            compiling.function(tf.zeros(batches_shape, dtype), tf.zeros(batches_shape[:2], tf.int32), none, none)
        except Exception:  # the run goes on without XLA: slower, never broken
            compiling.failed = True
        finally:
            compiling.ready.set()

    threading.Thread(target=compile_it, name="xla-compile", daemon=True).start()
    return compiling


def _step_function(model: keras.Model):
    """Keras' own training step on one batch; images of any dtype become float32 here."""

    def train_step(images, labels) -> dict:
        return model.train_step((tf.cast(images, tf.float32), tf.convert_to_tensor(labels)))

    return train_step


class _EpochsMoved:
    """Each epoch's pictures moved by `augment`, the next epoch's made on a thread of its own
    while this one trains (OpenCV lets go of Python's lock; a step here mostly runs one op at
    a time, so the other core is free more often than not)."""

    def __init__(self, x: np.ndarray, y: np.ndarray, augment: Augment, rng: np.random.Generator) -> None:
        self.x, self.y, self.augment, self.rng = x, y, augment, rng
        self.pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="augment")
        self.upcoming = self.pool.submit(augment, x, y, rng)  # the first epoch's, while the step is traced

    def next(self, more: bool) -> np.ndarray:
        """This epoch's moved pictures; starts on the next epoch's when `more`."""
        pictures = self.upcoming.result()
        if more:
            self.upcoming = self.pool.submit(self.augment, self.x, self.y, self.rng)
        return pictures

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _has_convolutions(model: keras.Model) -> bool:
    return any(isinstance(layer, keras.layers.Conv2D) for layer in model.layers)


class _InHalves(keras.Model):
    """`body` run on each half of a batch, the two answers one batch again: the two halves'
    ops are independent of each other until their gradients are added up, so they run side
    by side. Shares `body`'s layers (training it trains them), compiled as `model` is."""

    def __init__(self, body: keras.Model, model: keras.Model) -> None:
        super().__init__(name=f"{model.name}_in_halves")
        self.body = body
        _compile_as(self, model)

    def call(self, images, training=False):
        if images.shape[0] is not None and images.shape[0] < 2:  # an epoch's last batch of one picture
            return self.body(images, training=training)  # (an empty half breaks oneDNN's convolution)
        half = tf.shape(images)[0] // 2
        return tf.concat([self.body(images[:half], training=training), self.body(images[half:], training=training)], 0)


def _training_twin(model: keras.Model, leave_out_random: bool, quick_dropout: bool, seed: int) -> keras.Model:
    """The model as it trains here, sharing every weight with it (training it trains `model`),
    compiled with `model`'s optimizer, loss and metrics: its random augmentation layers left
    out where `leave_out_random` (the pictures come moved instead), and its Dropout drawing its
    mask as `_QuickDropout` does where `quick_dropout`.
    Only for models whose layers run one after another, as this app builds them."""
    inputs = keras.Input(shape=model.input_shape[1:], name=model.inputs[0].name)
    x = inputs
    for number, layer in enumerate(model.layers):
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if leave_out_random and type(layer).__name__.startswith("Random"):
            continue
        if quick_dropout and isinstance(layer, keras.layers.Dropout):
            layer = _QuickDropout(layer, seed=seed * 1000 + number)  # each Dropout its own masks
        x = layer(x)
    trained = keras.Model(inputs, x, name=f"{model.name}_trained")
    _compile_as(trained, model)
    return trained


def _compile_as(twin: keras.Model, model: keras.Model) -> None:
    """Compile a model that trains `model`'s weights with `model`'s own optimizer (its state is
    what is saved), loss and metrics; the chunk functions decide about XLA themselves."""
    twin.compile(optimizer=model.optimizer, loss=model.loss, metrics=["accuracy"], jit_compile=False)


class _QuickDropout(keras.layers.Layer):
    """Keras' Dropout at the same rate, its mask drawn as 16-bit random numbers, two from each
    32-bit draw, where Keras draws one random number per unit in the layer's own dtype: half a
    CNN batch's 16 x 1,600 units in bfloat16, 98 -> 43 us. Units are kept with probability
    1 - rate (to 1 in 65,536) and scaled by 1 / (1 - rate), as Keras keeps them."""

    def __init__(self, dropout: keras.layers.Dropout, seed: int) -> None:
        super().__init__(name=f"{dropout.name}_quick", dtype=dropout.dtype_policy)
        self.rate, self.threshold = dropout.rate, round(dropout.rate * 2**16)
        self.random = tf.random.Generator.from_seed(seed)

    def call(self, x, training=False):
        if not training or not self.rate:
            return x
        size = tf.size(x)
        bits = tf.bitcast(self.random.uniform_full_int([(size + 1) // 2], tf.uint32), tf.uint16)
        kept = tf.reshape(bits[:size], tf.shape(x)) >= self.threshold
        return tf.where(kept, x * tf.cast(1 / (1 - self.rate), x.dtype), tf.zeros_like(x))
