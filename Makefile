# Masthead: `make run` serves the site, `make test` runs the whole suite. Both set up what they need.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgres://postgres:postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
PYTEST_WORKERS ?= 2
MESSAGES_LANGS ?= -l ar -l es -l fr -l ru -l tr

.PHONY: messages openapi-snapshot run test test-sqlite test-postgres lint bench demo services venv install install-test clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "Installing python3.11-venv (Debian package)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11-venv >/dev/null; \
	  rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	@$(BIN)/python -m pip install -q --upgrade pip

venv: $(BIN)/python

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/masthead run

demo: install
	$(BIN)/masthead demo

services:
	@bash scripts/ensure-services.sh

messages: install
	@command -v xgettext >/dev/null || { echo "Installing gettext (Debian package)"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }
	cd masthead && MASTHEAD_DATA_DIR=$$(mktemp -d) DJANGO_SETTINGS_MODULE=masthead.settings.test PYTHONPATH=$(CURDIR) \
	  $(CURDIR)/$(BIN)/django-admin makemessages $(MESSAGES_LANGS) --no-location --no-obsolete -i 'migrations/*' && \
	  MASTHEAD_DATA_DIR=$$(mktemp -d) DJANGO_SETTINGS_MODULE=masthead.settings.test PYTHONPATH=$(CURDIR) \
	  $(CURDIR)/$(BIN)/django-admin makemessages -d djangojs $(MESSAGES_LANGS) --no-location --no-obsolete -i 'migrations/*' && \
	  MASTHEAD_DATA_DIR=$$(mktemp -d) DJANGO_SETTINGS_MODULE=masthead.settings.test PYTHONPATH=$(CURDIR) \
	  $(CURDIR)/$(BIN)/django-admin compilemessages

lint: install-test
	$(BIN)/ruff check masthead tests bench
	$(BIN)/mypy masthead

test-sqlite: install-test
	env -u DATABASE_URL MASTHEAD_TEST_REDIS_URL=$(REDIS_TEST_URL) \
	  $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider $(PYTEST_ARGS)

test-postgres: install-test
	DATABASE_URL=$(PG_TEST_URL) MASTHEAD_TEST_REDIS_URL=$(REDIS_TEST_URL) \
	  $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider $(PYTEST_ARGS)

test: install-test services
	$(MAKE) lint
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

bench: install-test services
	$(BIN)/python -m bench

openapi-snapshot: install-test
	MASTHEAD_DATA_DIR=$$(mktemp -d) DJANGO_SETTINGS_MODULE=masthead.settings.test $(BIN)/python -c \
	  'import django, json; django.setup(); from tests.test_openapi import current_schema, SNAPSHOT; \
	  SNAPSHOT.write_text(json.dumps(current_schema(), indent=2, sort_keys=True) + "\n", encoding="utf-8")'

clean:
	rm -rf $(VENV) var build *.egg-info
