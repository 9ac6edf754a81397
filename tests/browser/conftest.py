"""A live server on a free port and headless Chromium, for the browser tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.chromium import NO_CHROMIUM, system_chromium

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_SECONDS = 60


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """`python -m search serve` running in a subprocess."""

    def __init__(self, index_dir: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [
            sys.executable,
            "-m",
            "search",
            "--index",
            str(index_dir),
            "--corpus",
            str(REPO / "corpus"),
        ]
        command += [
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            "1",
            "--no-analytics",
        ]
        with open(log, "wb") as out:
            self.process = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)

    def wait_until_up(self) -> None:
        """Poll the server until it answers, failing with its log if it dies or is slow."""
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"server exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/api/themes", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        pytest.fail(f"server did not answer within {STARTUP_SECONDS} s:\n{self.log.read_text()}")

    def api(self, path: str) -> dict:
        """GET a JSON document from the server."""
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return json.load(response)

    def stop(self) -> None:
        """Stop the server (gunicorn shuts down gracefully on SIGTERM)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def live_server(index_dir, tmp_path_factory):
    """The web service over the session index, on a free port."""
    server = LiveServer(index_dir, tmp_path_factory.mktemp("server") / "server.log")
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()


def launch_options(bundled: str) -> dict:
    """Use the system Chromium when there is one, else Playwright's own (at `bundled`); with
    neither, fail on CI (where the browser tests must run) and skip elsewhere, saying what to install."""
    options: dict = {"args": CHROMIUM_ARGS}
    executable = system_chromium()
    if executable:
        options["executable_path"] = executable
    elif not Path(bundled).is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(NO_CHROMIUM)
        pytest.skip(NO_CHROMIUM)
    return options


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**launch_options(playwright.chromium.executable_path))
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, live_server):
    """A desktop-sized page with JavaScript, failing the test on any script error."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert errors == [], errors


@pytest.fixture()
def page_without_js(browser, live_server):
    """A page with JavaScript disabled."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
