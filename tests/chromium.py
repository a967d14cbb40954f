"""Debian's Chromium as the browser tests and the browser benchmark launch it."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("PLAYGROUND_CHROMIUM", "/usr/bin/chromium"))
# Headless as root, and quiet on a machine with no network but loopback: without the
# background-networking flags Chromium keeps trying hosts it cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
