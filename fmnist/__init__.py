"""The Fashion-MNIST explorer's logic: data, models, training, evaluation, user images.

Nothing in this package imports Streamlit; the pages in ../pages draw what it computes.
Importing the package itself is cheap: TensorFlow loads only with the modules that need it.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
if os.environ.get("FMNIST_VERBOSE", "") in ("", "0"):  # FMNIST_VERBOSE=1: TensorFlow's own start-up lines too
    from fmnist.quiet import quieten

    quieten()
