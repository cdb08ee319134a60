# The README's two commands: `make run` serves the seeded app, `make test` installs what tests need and runs them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test test-sqlite test-postgres install install-test chromium postgresql setup bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test,postgres]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test chromium

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

# Every test runs twice: on SQLite (the embedded default), then on PostgreSQL, on a throwaway cluster started
# and removed around them. `make test-sqlite` and `make test-postgres` run one of the two.
test: test-sqlite test-postgres

test-sqlite: install-test
	$(BIN)/python -m pytest

test-postgres: install-test postgresql
	SECRET_KEY=throwaway-key-for-the-test-cluster tests/postgres_cluster.sh $(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/eval_quotes.py
	$(BIN)/python bench/speed.py
