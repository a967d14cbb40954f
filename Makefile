# Backprop Playground: build, run, test and benchmark.
#
#   make run     create .venv, install the app, serve http://$(HOST):$(PORT)
#   make test    install test tools and PyTorch (CPU) and, with npm, the type-checker;
#                then ruff, mypy, tsc and pytest
#   make bench   install the same, then run the benchmarks
#   make clean   remove the virtualenv, caches and build leftovers

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=

# Stamp files record that an install is up to date with pyproject.toml, so
# repeated runs of `make test` do not reinstall anything.
STAMP_BASE  := $(VENV)/.stamp-install
STAMP_DEV   := $(VENV)/.stamp-install-dev
STAMP_BENCH := $(VENV)/.stamp-install-bench
# The page's type-checker (TypeScript's tsc, pinned in package-lock.json) lives in
# node_modules/; npm ci reinstalls it only when the lock file changes.
STAMP_NPM   := node_modules/.stamp-npm-ci
TSC         := node_modules/.bin/tsc

.PHONY: help venv install run test bench clean chromium

help:
	@echo "Targets: venv install run test bench clean  (HOST=$(HOST) PORT=$(PORT))"

venv: $(PY)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip

install: $(STAMP_BASE)

$(STAMP_BASE): pyproject.toml | $(PY)
	$(PY) -m pip install -e .
	touch $@

# --no-compile: no .pyc for every file of every package (PyTorch and SymPy alone have
# thousands); Python writes those it imports on first use. Half a minute less on a fresh clone.
$(STAMP_DEV): pyproject.toml | $(PY)
	$(PY) -m pip install --no-compile -e '.[dev]'
	touch $@

$(STAMP_BENCH): pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[dev,bench]'
	touch $@

# npm ci empties node_modules/ first, so the stamp is written after it.
$(STAMP_NPM): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "error: npm is missing; the type-checker" \
		"needs Node.js 20 or newer with npm: 'sudo apt-get install -y nodejs npm'" >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

run: install
	$(PY) -m backend --host $(HOST) --port $(PORT)

# The browser tests (tests/e2e) drive Debian's Chromium: installed here when missing and
# we are root with apt-get; otherwise make test stops with what to do.
CHROMIUM := /usr/bin/chromium
chromium:
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "== apt-get install chromium (for the browser tests)"; \
		apt-get update && apt-get install -y chromium; \
	else \
		echo "error: $(CHROMIUM) is missing; the browser tests need it:" \
			"run 'sudo apt-get install -y chromium', then make test again" >&2; \
		exit 1; \
	fi

# Runs all four checks even when one fails, then fails if any did. pytest's exit
# code 5 (no tests collected) counts as a failure. tsc checks every page module (each
# starts with `// @ts-check`, which tests/frontend/test_typecheck.py makes sure of).
test: $(STAMP_DEV) $(STAMP_NPM) chromium
	@status=0; \
	echo "== ruff check backend tests bench"; \
	$(VENV)/bin/ruff check backend tests bench || status=1; \
	echo "== mypy backend"; \
	$(VENV)/bin/mypy backend || status=1; \
	echo "== tsc --noEmit -p . (the page's JavaScript)"; \
	$(TSC) --noEmit -p . || status=1; \
	echo "== pytest $(PYTEST_ARGS)"; \
	rc=0; $(PY) -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests" >&2; fi; \
	if [ $$rc -ne 0 ]; then status=1; fi; \
	if [ $$status -ne 0 ]; then echo "make test: FAILED" >&2; fi; \
	exit $$status

bench: $(STAMP_BENCH)
	$(PY) -m bench

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache \
		test-artifacts .coverage node_modules
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
