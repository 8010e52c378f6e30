"""The app as a browser meets it: a fresh `streamlit run` server, which Chromium drives it,
and the steps a person takes on its pages (Playwright).

Shared by the browser tests, the benchmark and the screenshot script. Chromium is Debian's
/usr/bin/chromium (apt-get install chromium), not Playwright's own download, which needs
internet; the flags keep a headless Chromium from calling out to the network.
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, expect

from fmnist.config import PRESETS

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
    Its runs go to a temporary folder unless `env` names FMNIST_RUNS_DIR: tooling never
    fills the user's own run store.
    """
    env = dict(os.environ if env is None else env)
    runs_folder = None
    if not env.get("FMNIST_RUNS_DIR"):
        runs_folder = tempfile.TemporaryDirectory(prefix="fmnist-runs-")
        env["FMNIST_RUNS_DIR"] = runs_folder.name
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
            if runs_folder is not None:
                runs_folder.cleanup()


# --- A person on the pages ---------------------------------------------------------------

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def visit(page: Page, url: str) -> Page:
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=60_000)
    return page


def go_to(page: Page, label: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("link", name=re.compile(label)).click()
    heading = re.compile(label if label != "Home" else "Fashion-MNIST")
    # The first visit to Train loads TensorFlow in the server: seconds, not milliseconds.
    expect(page.get_by_role("heading", level=1)).to_have_text(heading, timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)


def choose_preset(page: Page, name: str) -> None:
    preset = PRESETS[name]
    page.get_by_role("button", name=name, exact=True).click()
    # Wait until the page shows the preset's settings, not only for an idle script (which can be
    # the state before the click): a Train click sent sooner would carry the old slider values.
    expect(page.get_by_text(f"{preset.params:,} parameters")).to_be_visible()
    expect(page.get_by_test_id("stSlider").filter(has_text="Epochs").get_by_role("slider")).to_have_value(
        str(preset.epochs)
    )
    page.wait_for_selector(IDLE)


TSHIRT = [(90, 60), (60, 80), (40, 120), (70, 130), (80, 110), (85, 230), (195, 230), (200, 110), (210, 130)]
TSHIRT += [(240, 120), (220, 80), (190, 60), (160, 75), (120, 75), (90, 60)]


def stroke(page: Page, points: list[tuple[int, int]]) -> None:
    """One stroke of the mouse on the drawing pad, in pad pixels."""
    pad = page.locator("canvas").last.bounding_box()
    page.mouse.move(pad["x"] + points[0][0], pad["y"] + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(pad["x"] + x, pad["y"] + y, steps=6)
    page.mouse.up()


def answer_text(page: Page) -> str:
    """The drawing's answer: its headline and the next two classes."""
    heading = page.get_by_test_id("stMain").get_by_role("heading", level=3).filter(visible=True)
    expect(heading).to_have_count(1, timeout=30_000)
    page.wait_for_selector(IDLE)
    return heading.inner_text() + " " + page.get_by_text(re.compile(r"^Then ")).filter(visible=True).inner_text()


def wait_for_answer(page: Page, wanted, timeout_s: float = 30) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        text = answer_text(page)
        if wanted(text):
            return text
        page.wait_for_timeout(250)
    raise AssertionError(f"the answer stayed {text!r}")
