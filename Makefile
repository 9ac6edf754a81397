# The README's two commands: `make run` (set up, build the index if needed, serve)
# and `make test` (set up, run the whole test suite). Both use .venv/ here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
# Exact versions with hashes, compiled from pyproject.toml by `make lock`: dev.txt has the
# runtime, test, lock and profiling tools (for this venv); runtime.txt only what a server needs.
LOCK := requirements/dev.txt
RUNTIME_LOCK := requirements/runtime.txt
# Locks resolve against PyPI itself, whatever index this machine's pip is set up with.
COMPILE := $(BIN)/uv pip compile pyproject.toml --no-config --generate-hashes --universal \
	--python-version 3.11 --index-url https://pypi.org/simple --custom-compile-command "make lock" --quiet

.PHONY: run test lint format build bench clean venv lock chromium

venv: $(STAMP)

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; \
		echo "requirements/ does not match pyproject.toml: run 'make lock'" >&2; exit 1; }
	@touch $(STAMP)

# Regenerate the locks from pyproject.toml (after adding or changing a dependency).
lock:
	@test -x $(BIN)/uv || { test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
		$(BIN)/python -m pip install --quiet "$$(sed -n 's/^lock = \["\(.*\)"\]/\1/p' pyproject.toml)"; }
	$(COMPILE) --extra test --extra lock --extra bench -o $(LOCK)
	$(COMPILE) --constraint $(LOCK) -o $(RUNTIME_LOCK)

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
