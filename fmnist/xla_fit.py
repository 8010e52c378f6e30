"""`fit_in_xla`: `model.fit` for in-memory images, with whole stretches of an epoch run as
one XLA computation.

Keras' own `fit` returns to Python, or at best to a `tf.data` iterator, between training
steps. For the lesson's small MLP that bookkeeping costs more than the arithmetic: at batch
32 a 60,000-image epoch takes 3-4.5 s with the lesson's `fit` on these 2 cores and ~1.1 s
with `jit_compile` and `steps_per_execution`, while a loop of Keras' own `train_step`
compiled by XLA, reading batches from one array already in memory, takes 0.3-0.45 s.

The loop runs in chunks of steps: between chunks the callbacks hear about progress and can
stop the run (`model.stop_training`), so a page's bar moves and Stop answers within ~0.1 s.
Callbacks are called as `fit` calls them (train begin, epoch begin, batch end once per
chunk, epoch end, train end), and epochs see the images in a fresh random order as `fit`
does. Nothing here knows about Streamlit or about this app's configs.
"""

from __future__ import annotations

import time

import keras
import numpy as np
import tensorflow as tf

CHUNK_S = 0.1  # aim for chunks this long: progress moves, Stop answers quickly
FIRST_CHUNK_STEPS = 64  # the first chunk also compiles; later ones are sized from the pace
MAX_CHUNK_STEPS = 4096


def fit_in_xla(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    epochs: int,
    callbacks: list[keras.callbacks.Callback],
    seed: int = 0,
) -> None:
    """Train a compiled model as `model.fit(x, y, batch_size, epochs, callbacks=...)` would.

    x: (n, ...) images of any dtype (cast to float32 batch by batch, so uint8 stays uint8 in
    memory); y: (n,) integer labels. The last batch of an epoch may be smaller, as in `fit`.
    """
    if np.issubdtype(y.dtype, np.integer):
        y = y.astype(np.int32)  # what the loss takes without a cast per step
    callback_list = keras.callbacks.CallbackList(callbacks, model=model)
    full_steps, remainder = divmod(len(x), batch_size)
    steps = full_steps + bool(remainder)
    order = np.random.default_rng(seed)
    model.stop_training = False
    run_chunk = _chunk_function(model)

    callback_list.on_train_begin()
    for epoch in range(epochs):
        model.reset_metrics()
        callback_list.on_epoch_begin(epoch)
        shuffled = order.permutation(len(x))
        # (full_steps, batch, ...): batch i is one index into the first axis, which XLA reads
        # in place (gathering rows from a flat array made it copy the whole array per step).
        in_batches = shuffled[: full_steps * batch_size].reshape(full_steps, batch_size)
        batches_x, batches_y = tf.convert_to_tensor(x[in_batches]), tf.convert_to_tensor(y[in_batches])
        logs, done, chunk = {}, 0, FIRST_CHUNK_STEPS
        if epoch == 0 and full_steps:  # one step outside XLA builds the optimizer's and metrics' variables
            logs = _train_step(model, batches_x[0], batches_y[0])
            done = 1
        while done < full_steps and not model.stop_training:
            end = min(full_steps, done + chunk)
            started = time.perf_counter()
            logs = run_chunk(batches_x, batches_y, tf.constant(done), tf.constant(end))
            seconds_per_step = (time.perf_counter() - started) / (end - done)
            chunk = int(np.clip(CHUNK_S / max(seconds_per_step, 1e-6), 1, MAX_CHUNK_STEPS))
            done = end
            callback_list.on_train_batch_end(done - 1, logs)
        if remainder and not model.stop_training:  # the short last batch, outside XLA: one shape less to compile
            rest = shuffled[full_steps * batch_size :]
            logs = _train_step(model, x[rest], y[rest])
            callback_list.on_train_batch_end(steps - 1, logs)
        callback_list.on_epoch_end(epoch, {name: float(value) for name, value in logs.items()})
        if model.stop_training:
            break
    callback_list.on_train_end()


def _chunk_function(model: keras.Model):
    """One XLA computation running Keras' `train_step` on batches[start:stop]."""

    @tf.function(jit_compile=True)
    def run_chunk(batches_x, batches_y, start, stop):
        def one_step(i):
            _train_step(model, batches_x[i], batches_y[i])
            return (i + 1,)

        tf.while_loop(lambda i: i < stop, one_step, (start,))
        return model.get_metrics_result()  # running loss and accuracy over the epoch so far

    return run_chunk


def _train_step(model: keras.Model, images, labels) -> dict:
    """Keras' own training step on one batch; images of any dtype become float32 here."""
    return model.train_step((tf.cast(images, tf.float32), tf.convert_to_tensor(labels)))
