"""TensorFlow without the noise on a machine without a GPU: no `failed call to cuInit`, no
`Could not find cuda drivers`, unless FMNIST_VERBOSE=1.

TensorFlow's C++ log level (TF_CPP_MIN_LOG_LEVEL) silences what it logs once running, but the
CUDA stubs print while `import tensorflow` loads them, before that setting applies. So the
first import of tensorflow runs with the process's stderr (file descriptor 2) going to a
file; afterwards every line of it is passed on except the known CUDA-absence lines.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import re
import sys
import tempfile
from contextlib import contextmanager

NOISE = re.compile(
    r"All log messages before absl::InitializeLog|cudart_stub|cuda_platform|cuInit|cuda drivers"
    r"|Unable to register cu(DNN|FFT|BLAS) factory|computation placer already registered"
    r"|oneDNN custom operations are on|This TensorFlow binary is optimized|TF-TRT Warning"
)


def quieten() -> None:
    """From now on, the first `import tensorflow` keeps its start-up noise to itself."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # errors included: cuInit's is one
    if "tensorflow" not in sys.modules and not any(isinstance(f, _QuietImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuietImport())


def loud() -> None:
    """Undo quieten() if tensorflow has not been imported yet: `--verbose`."""
    sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, _QuietImport)]
    if os.environ.get("TF_CPP_MIN_LOG_LEVEL") == "3":
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "0"


class _QuietImport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != "tensorflow":
            return None
        sys.meta_path.remove(self)  # once: the real finders do the rest
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        load = spec.loader.exec_module

        def exec_module(module) -> None:
            with _stderr_filtered():
                load(module)

        spec.loader.exec_module = exec_module
        return spec


@contextmanager
def _stderr_filtered():
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = [line for line in captured.read().decode(errors="replace").splitlines() if not NOISE.search(line)]
            if kept:
                print("\n".join(kept), file=sys.stderr, flush=True)
