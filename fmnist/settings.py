"""Server settings: every limit the product takes from an FMNIST_* environment variable, read
here once, when the app or the command line starts. (The data folder, FMNIST_DATA_DIR, and the
download cache, FMNIST_CACHE_DIR, are read by fmnist.data when data is loaded.)

A value that is not a number stops the start with a line naming the variable.
"""

from __future__ import annotations

import os


def _number(name: str, default: float, zero: bool = False) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise SystemExit(f"error: {name} must be a number, not {text!r}") from None
    if value < 0 or (value == 0 and not zero):
        least = "0 or more" if zero else "more than 0"
        raise SystemExit(f"error: {name} must be {least}, not {text!r}")
    return value


MAX_UPLOAD_MB = _number("FMNIST_MAX_UPLOAD_MB", 20)  # a picture file, in the app and the CLI
MAX_PIXELS = int(_number("FMNIST_MAX_PIXELS", 40_000_000))  # width x height, checked before decoding
# A .keras file's unpacked size, checked before unpacking. The largest model the app trains
# (4 hidden layers of 512 units) saves to about 14 MB with its optimizer state.
MAX_MODEL_MB = _number("FMNIST_MAX_MODEL_MB", 50)
MAX_RUNNING = int(_number("FMNIST_MAX_RUNNING", 2))  # runs training at once, server-wide (two cores here)
ABANDONED_AFTER_S = _number("FMNIST_ABANDONED_AFTER_S", 30)  # a run whose page is gone this long stops
MAX_RUNS = int(_number("FMNIST_MAX_RUNS", 50))  # runs kept per workspace
MAX_WORKSPACE_MB = _number("FMNIST_MAX_WORKSPACE_MB", 500)  # disk a workspace's runs may take
# Training happens in Dask worker processes, off the web server (fmnist/cluster.py):
# FMNIST_SCHEDULER=tcp://host:port uses an existing cluster; otherwise a local one of
# FMNIST_WORKERS processes (0: train in threads of the server itself, as before workers).
SCHEDULER = os.environ.get("FMNIST_SCHEDULER", "").strip() or None
WORKERS = int(_number("FMNIST_WORKERS", MAX_RUNNING, zero=True))
ON_CLUSTER = bool(SCHEDULER) or WORKERS > 0
WORKER_MAX_MB = _number("FMNIST_WORKER_MAX_MB", 1200)  # a worker larger than this after a run is restarted
# The CNN trains in bfloat16 where the CPU has bfloat16 instructions (fmnist.model); 0: float32.
BFLOAT16 = bool(_number("FMNIST_BFLOAT16", 1, zero=True))
