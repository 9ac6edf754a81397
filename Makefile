# The README's two commands: `make run` (set up, build the index if needed, serve)
# and `make test` (set up, run the whole test suite). Both use .venv/ here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
.PHONY: run test lint format build bench clean venv chromium

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: venv
	$(BIN)/python -m search serve --host $(HOST) --port $(PORT)

build: venv
	$(BIN)/python -m search build

test: venv chromium
	$(BIN)/python -m ruff check search web tests
	$(BIN)/python -m pytest

# The browser tests' Chromium: the system's (AAP_CHROMIUM, default /usr/bin/chromium), else
# Playwright's own, installed on first use; with neither, one sentence on what to install.
chromium: venv
	@$(BIN)/python -m tests.browser.chromium --ensure

bench: venv
	$(BIN)/python -m search bench

lint: venv
	$(BIN)/python -m ruff check search web tests
	$(BIN)/python -m ruff format --check search web tests

format: venv
	$(BIN)/python -m ruff format search web tests
	$(BIN)/python -m ruff check --fix search web tests

clean:
	rm -rf index .pytest_cache .ruff_cache
