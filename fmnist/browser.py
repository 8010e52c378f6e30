"""Which Chromium the browser tests, the benchmark and the screenshots drive, and how.

Debian's /usr/bin/chromium (apt-get install chromium), not Playwright's own download, which
needs internet. The flags keep a headless Chromium from calling out to the network.
"""

import os

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
