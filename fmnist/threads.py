"""TensorFlow's and OpenCV's thread pools in a process that trains: `use_training_threads()`,
called before TensorFlow starts (fmnist.worker's set-up, `python -m fmnist train`).

A training step of this app's models at batch 32 is a chain of small ops (a convolution of 32
pictures takes 0.1-0.35 ms). TensorFlow's default splits each op over every core and runs as
many ops at once as there are cores; on 2 cores the splitting costs more than it gains. One
thread per op and two ops at a time (a convolution's two gradients side by side) is faster.
Measured on these 2 cores (Intel Xeon with AMX), the CNN in bfloat16, one step of 32 in the
engine's loop: 3.2-3.4 -> 2.5 ms; the MLP's XLA epoch unchanged (0.45 s).

OpenCV gets one thread: it moves each 28 x 28 picture of an epoch (fmnist.augment) on a thread
beside the training, and its own pool of one thread per core doubled the moves' CPU time
(72,000 pictures: 1.06 s -> 0.45 s of CPU, taken from the training steps on the other core).

Only processes that train choose this. Plain Keras `fit` of the same CNN is slower so (its
epoch 10-21 s -> 21 s), and the web server's batch predictions would be too. A value already in
the environment is kept. Measured on 2 cores only; more cores keep half of them per op.
"""

from __future__ import annotations

import os

# Read by TensorFlow once, when its runtime starts.
INTRA_OP = "TF_NUM_INTRAOP_THREADS"  # threads one op may split over
INTER_OP = "TF_NUM_INTEROP_THREADS"  # ops run at once
OPENCV_THREADS = "OPENCV_FOR_THREADS_NUM"  # read by OpenCV when it first runs a function in parallel
OPS_AT_ONCE = 2


def training_threads() -> dict[str, str]:
    """The variables as a training process should have them: the environment's own values
    where set, else one op on half the cores (at least one), OPS_AT_ONCE ops at a time and
    OpenCV on one thread."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return {
        INTRA_OP: os.environ.get(INTRA_OP) or str(max(1, cores // 2)),
        INTER_OP: os.environ.get(INTER_OP) or str(OPS_AT_ONCE),
        OPENCV_THREADS: os.environ.get(OPENCV_THREADS) or "1",
    }


def use_training_threads() -> None:
    """Give this process `training_threads()`. No effect once TensorFlow's runtime has started."""
    os.environ.update(training_threads())
