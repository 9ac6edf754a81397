"""Which Chromium the browser tests drive: the system's, else Playwright's own, else none.

`python -m tests.browser.chromium --ensure` (run by `make test`) finds one, installs
Playwright's when there is none, and otherwise stops with one sentence on what to install.
AAP_CHROMIUM names the system Chromium (default /usr/bin/chromium); pointing it at a
missing path simulates a machine without one.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

DEBIAN_CHROMIUM = "/usr/bin/chromium"
NO_CHROMIUM = (
    "The browser tests need Chromium: install Debian's chromium package (apt-get install chromium), "
    "or let `.venv/bin/playwright install chromium` download Playwright's own, "
    "or set AAP_CHROMIUM to a Chromium binary."
)
INSTALL_SECONDS = 600


def system_chromium() -> str | None:
    """Return the system Chromium (AAP_CHROMIUM, else Debian's) when it is there."""
    path = os.environ.get("AAP_CHROMIUM") or DEBIAN_CHROMIUM
    return path if Path(path).is_file() and os.access(path, os.X_OK) else None


def playwright_chromium() -> str | None:
    """Return Playwright's own Chromium when it is installed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        path = playwright.chromium.executable_path
    return path if Path(path).is_file() else None


def ensure() -> int:
    """Find a Chromium, installing Playwright's if need be; say which, or what to install."""
    found = system_chromium() or playwright_chromium()
    if not found:
        print("No system Chromium; installing Playwright's own for the browser tests …", file=sys.stderr)
        command = [sys.executable, "-m", "playwright", "install", "chromium"]
        with contextlib.suppress(subprocess.TimeoutExpired):
            subprocess.run(command, capture_output=True, timeout=INSTALL_SECONDS, check=False)
        found = playwright_chromium()
    if not found:
        print(NO_CHROMIUM, file=sys.stderr)
        return 1
    print(f"Browser tests: {found}")
    return 0


if __name__ == "__main__":
    raise SystemExit(ensure() if sys.argv[1:] == ["--ensure"] else 2)
