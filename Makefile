# The README's two commands: `make run` serves the seeded app, `make test` installs what tests need and runs them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test test-sqlite test-postgres test-fast lint lock install install-test chromium postgresql setup bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Every package, the tests' and PostgreSQL's included, comes from requirements.lock, pinned with its hashes;
# then the project itself, with setuptools from the lock (no unpinned build step).
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed chromium

# Refreshes requirements.lock from pyproject.toml (run after changing a dependency; add --upgrade to move every
# pin to the newest release allowed). uv resolves against the package index alone, whatever pip.conf says.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv>=0.5" && $(BIN)/uv pip compile pyproject.toml --extra test --extra postgres --generate-hashes --python-version 3.11 --quiet --output-file requirements.lock

# Browser tests drive Debian's Chromium; Playwright cannot download its own browser here.
chromium:
	@[ -x /usr/bin/chromium ] || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends chromium)

# The PostgreSQL test run starts a server of its own (tests/postgres_cluster.sh); Debian's server package
# provides initdb and pg_ctl.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || \
		($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends postgresql)

setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seeds
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

# The task workers (analysis, feed checks) and the feed schedule run beside gunicorn, restarted when they exit
# (`manage.py background`), and stop with it. gunicorn reads gunicorn.conf.py: threaded workers that slow
# clients cannot hold.
run: setup
	@echo "newsreader is serving at http://$(HOST):$(PORT)/"
	$(BIN)/python manage.py background & background=$$!; \
	trap 'kill $$background 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn newsreader.wsgi --bind $(HOST):$(PORT) --access-logfile -

# Lint, then every test on SQLite (the embedded default), then on PostgreSQL, on a throwaway cluster started
# and removed around them, every test that can tell the two apart (tests/conftest.py says which).
# `make test-sqlite` and `make test-postgres` run one of the two; `make test-fast` runs all but the browser
# tests on SQLite. PYTEST_ARGS adds pytest options (-n 2: two processes, each with its own database).
PYTEST_ARGS ?= -n 2
test: lint test-sqlite test-postgres

lint: install
	$(BIN)/ruff check
	$(BIN)/ruff format --check

test-sqlite: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install-test postgresql
	SECRET_KEY=throwaway-key-for-the-test-cluster tests/postgres_cluster.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: install
	$(BIN)/python -m pytest $(PYTEST_ARGS) --ignore=tests/browser

bench: install
	$(BIN)/python bench/eval_quotes.py
	$(BIN)/python bench/speed.py
