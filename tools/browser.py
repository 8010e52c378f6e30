"""The app as a browser meets it: a fresh `streamlit run` server, and which Chromium drives it.

Shared by the browser tests, the benchmark and the screenshot script. Chromium is Debian's
/usr/bin/chromium (apt-get install chromium), not Playwright's own download, which needs
internet; the flags keep a headless Chromium from calling out to the network.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("FMNIST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def streamlit_server(app_folder: Path, env: dict | None = None, timeout_s: float = 60):
    """`streamlit run app.py` in app_folder on a free port, as the README starts it.

    Yields (url, process, started) once the server answers its health check; `started` is
    the perf_counter reading just before the process was launched. Its output goes to a
    file, shown if it fails to start (a pipe nobody reads can fill and stall the server).
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
    ]
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=app_folder, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                try:
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        raise RuntimeError(f"streamlit did not start: {log.read().decode()[-2000:]}") from None
                    time.sleep(0.02)  # the browser asks as soon as the server answers
            yield url, process, started
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
