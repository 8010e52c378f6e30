#!/usr/bin/env bash
# Install what the tests need (a .venv with the pinned packages, Debian's Chromium where it
# is missing) and run the whole suite. Extra arguments go to pytest: scripts/test.sh -k train
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-test.txt

if [ ! -x "${FMNIST_CHROMIUM:-/usr/bin/chromium}" ]; then
    # Playwright's own browser download needs internet; Debian's Chromium comes from apt.
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

# Offline, the tests read the real 8k subset of Fashion-MNIST beside the checkout.
if [ -z "${FMNIST_DATA_DIR:-}" ] && [ -d ../shared/data/fashion-mnist-8k ]; then
    export FMNIST_DATA_DIR="$(cd ../shared/data/fashion-mnist-8k && pwd)"
fi

exec .venv/bin/python -m pytest "$@"
