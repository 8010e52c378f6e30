"""The Fashion-MNIST explorer's logic: data, models, training, evaluation, user images.

Nothing in this package imports Streamlit; the pages in ../pages draw what it computes.
Importing the package itself is cheap: TensorFlow loads only with the modules that need it.
"""

import os

# Quieter TensorFlow: keep its C++ info and warning lines out of the CLI's output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
