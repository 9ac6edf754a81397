"""Finding the browser tests' Chromium: AAP_CHROMIUM, else Debian's, else none."""

from __future__ import annotations

import sys

from tests.browser import chromium


def test_system_chromium_is_the_named_one_only_when_it_runs(monkeypatch, tmp_path):
    monkeypatch.setenv("AAP_CHROMIUM", str(tmp_path / "missing"))
    assert chromium.system_chromium() is None
    monkeypatch.setenv("AAP_CHROMIUM", sys.executable)
    assert chromium.system_chromium() == sys.executable


def test_with_no_chromium_at_all_it_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setattr(chromium, "system_chromium", lambda: None)
    monkeypatch.setattr(chromium, "playwright_chromium", lambda: None)
    monkeypatch.setattr(chromium.subprocess, "run", lambda *args, **kwargs: None)
    assert chromium.ensure() == 1
    assert capsys.readouterr().err.splitlines()[-1] == chromium.NO_CHROMIUM
