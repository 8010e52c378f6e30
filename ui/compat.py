"""Where the app reaches into Streamlit's internals, all in one place, for the version it was
written for. Importing this module applies what must hold for the whole server; a Streamlit
other than WRITTEN_FOR stops the start with a message, since each patch below may then be
wrong in silence. Check each one against the new version, then update WRITTEN_FOR.
"""

from __future__ import annotations

import math

import streamlit
from streamlit import config
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner

from fmnist import settings

WRITTEN_FOR = "1.67.0"
if streamlit.__version__ != WRITTEN_FOR:
    raise RuntimeError(
        f"ui/compat.py was written for Streamlit {WRITTEN_FOR}, and this is {streamlit.__version__}: "
        "check its patches, then update WRITTEN_FOR (requirements.txt pins the tested version)"
    )


def entered_the_legacy_way() -> bool:
    """Whether this page was run directly from pages/, as a fresh server's first visit to a
    deep link is, before any session called st.navigation (see ui/nav.py)."""
    return PagesManager.uses_pages_directory


# After every script run Streamlit calls keras.backend.clear_session()
# (script_runner._clean_problem_modules). The live view reruns twice a second while a run
# trains in another thread, and each call swaps out Keras' thread-local state under that
# thread, empties TensorFlow's kernel cache and forces a full garbage collection: a 5-epoch
# run took over 100 s instead of 5. The app builds every model explicitly and needs no such
# reset. tests/test_pages.py checks that reruns leave Keras alone.
script_runner._clean_problem_modules = lambda: None

# One limit for pictures, FMNIST_MAX_UPLOAD_MB: the uploader's label and drop zone show it and
# the browser keeps to it, fmnist.preprocess checks it again on the server. A .keras file
# unpacks to at most FMNIST_MAX_MODEL_MB (fmnist.model checks), so it is no bigger than that.
# Streamlit's own cap for any upload (server.maxUploadSize, read for every upload) is the larger.
UPLOAD_LIMIT_MB = max(1, math.ceil(settings.MAX_UPLOAD_MB))  # Streamlit counts whole megabytes
MODEL_LIMIT_MB = max(1, math.ceil(settings.MAX_MODEL_MB))
config.set_option("server.maxUploadSize", max(UPLOAD_LIMIT_MB, MODEL_LIMIT_MB), "fmnist.settings")
