"""The Fashion-MNIST explorer's logic: data, models, training, evaluation, user images.

Nothing in this package imports Streamlit; the pages in ../pages draw what it computes.
Importing the package itself is cheap: TensorFlow loads only with the modules that need it.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# TensorFlow's oneDNN kernels, off by default in this build: the CNN's training step takes
# ~5.5 ms instead of ~8.9 ms at batch 32 on 2 cores (the first convolution twice as fast).
# Read once, when TensorFlow loads.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
if os.environ.get("FMNIST_VERBOSE", "") in ("", "0"):  # FMNIST_VERBOSE=1: TensorFlow's own start-up lines too
    from fmnist.quiet import quieten

    quieten()
