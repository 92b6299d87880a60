# The two commands: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
#: The address printed and used for links made away from a request (see docs: operations).
export SITE_URL ?= http://$(HOST):$(PORT)
MANAGE := $(BIN)/python manage.py
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-test setup help-site screenshots messages check-messages compile-messages glossary lint \
        check unit e2e docs generated-docs browser redis bench bench-load lock schema clean

## make run: set everything up and serve the sandbox on http://$(HOST):$(PORT), debug pages off
## (DEBUG=1 make run turns them on for a developer).
run: setup
	@echo "Serving the training sandbox on $(SITE_URL)/ (Ctrl-C to stop)"
	$(MANAGE) runserver $(HOST):$(PORT)

setup: install compile-messages help-site
	$(MANAGE) migrate --noinput
	$(MANAGE) load_config seed_data/default
	$(MANAGE) load_config seed_data/kenya-dcs
	$(MANAGE) demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: $(BIN)/python pyproject.toml constraints.txt
	@# PDF files (case files, certificates) are drawn by WeasyPrint with Pango, which shapes
	@# Arabic and Khmer: the system library comes from Debian's packages.
	@ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || { $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; }
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-run
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

#: The interface's languages besides English (the source), as in settings.LANGUAGES.
TRANSLATED := fr ar es sw km

## Translations: .po files are the source; .mo files are compiled at build time.
compile-messages: install
	$(BIN)/pybabel compile --domain django --directory locale --statistics 2>&1 | grep -v "^$$" || true
	@# Every catalogue present compiled (check-messages is the one that requires them all).
	@for lang in $(TRANSLATED); do test ! -f locale/$$lang/LC_MESSAGES/django.po \
	    || test -f locale/$$lang/LC_MESSAGES/django.mo || exit 1; done

messages: install-test
	@command -v xgettext >/dev/null || { $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq gettext; }
	$(MANAGE) makemessages $(addprefix -l ,$(TRANSLATED)) --no-obsolete --no-location \
	    --ignore=.venv --ignore=site --ignore=staticfiles --ignore=tests --ignore=e2e

## Every shipped language complete (nothing untranslated or fuzzy), and the glossary's terms
## used consistently (locale/glossary.yaml).
check-messages: messages
	$(BIN)/python -m sandbox.common.check_messages locale $(TRANSLATED)
	$(BIN)/python -m sandbox.common.glossary locale

## The glossary page of the docs, generated from locale/glossary.yaml.
glossary:
	$(BIN)/python -m sandbox.common.glossary --markdown locale > docs/developers/glossary.md
	$(BIN)/python -m sandbox.common.glossary --markdown --french locale > docs/developers/glossary.fr.md

## make test: everything, browser tests and the strict docs build included
test: install-test browser redis check-messages compile-messages lint check unit e2e docs

browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-core fonts-khmeros; fi
	@# Khmer on the screenshots: the pages load the shipped webfont, and the system font
	@# covers what the browser draws itself (form controls, the tab title).
	@if ! fc-list 2>/dev/null | grep -qi khmer; then \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-khmeros; fi

## The tests of the job queue start a real Redis (tests/jobs/test_worker.py): Debian's package.
redis:
	@command -v redis-server >/dev/null || { echo "Installing Debian's redis-server for the job queue's tests"; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq redis-server; }

lint: install-test
	$(BIN)/ruff check .

check: install-test
	DJANGO_SETTINGS_MODULE=sandbox.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=sandbox.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=sandbox.settings.test $(MANAGE) validate_config seed_data/default
	DJANGO_SETTINGS_MODULE=sandbox.settings.test $(MANAGE) validate_config seed_data/kenya-dcs
	DJANGO_SETTINGS_MODULE=sandbox.settings.test $(MANAGE) validate_quizzes
	@# The scenario library against both bundles: schema, references, and for each scenario
	@# the reference solution at 100%, an empty attempt failing, the sloppy variant's score.
	rm -f /tmp/sandbox-check.sqlite3
	DATABASE_URL=sqlite:////tmp/sandbox-check.sqlite3 $(MANAGE) migrate --noinput -v0
	DATABASE_URL=sqlite:////tmp/sandbox-check.sqlite3 $(MANAGE) load_config seed_data/default -v0
	DATABASE_URL=sqlite:////tmp/sandbox-check.sqlite3 $(MANAGE) load_config seed_data/kenya-dcs -v0
	DATABASE_URL=sqlite:////tmp/sandbox-check.sqlite3 $(MANAGE) validate_scenarios
	DATABASE_URL=sqlite:////tmp/sandbox-check.sqlite3 $(MANAGE) check_scenarios

unit: install-test
	$(BIN)/pytest -n 2 tests

## The browser tests read the guide the sandbox serves: it is built first.
e2e: install-test compile-messages docs
	$(BIN)/pytest e2e

docs: install-test
	$(BIN)/mkdocs build --strict --quiet

## Refresh the guide's screenshots: the browser takes them on the real pages, in every language.
screenshots: install-test compile-messages browser
	SCREENSHOTS_DIR=docs/assets/screenshots $(BIN)/pytest -p no:randomly e2e/test_screenshots.py

## The guide served under /help/ (make run builds it; mkdocs is a dependency of the sandbox).
help-site: install
	$(BIN)/mkdocs build --quiet

## Regenerate the pages written from the code and the scenario files (tests fail when stale):
## the scenario library, the action reference, the facilitator notes and the glossary.
generated-docs: install-test glossary
	DJANGO_SETTINGS_MODULE=sandbox.settings.test $(BIN)/python -m scripts.gen_scenario_docs
	DJANGO_SETTINGS_MODULE=sandbox.settings.test $(BIN)/python -m scripts.gen_action_docs
	DJANGO_SETTINGS_MODULE=sandbox.settings.test $(BIN)/python -m scripts.gen_facilitator_notes

## Regenerate the committed OpenAPI schema (a test fails when it is stale).
schema: install
	DJANGO_SETTINGS_MODULE=sandbox.settings.test $(MANAGE) spectacular --file docs/reference/openapi.yaml --validate --lang en

## Pin every installed package (run after changing dependencies in pyproject.toml).
lock: install-test
	$(BIN)/pip freeze --exclude-editable | grep -v "^-e" > constraints.txt

clean:
	rm -rf $(VENV) staticfiles site .pytest_cache db.sqlite3*

## make bench: resets, seeding and scoring on a fresh SQLite database; last line is JSON
BENCH_DB := /tmp/sandbox-bench.sqlite3
bench: install compile-messages
	rm -f $(BENCH_DB)*
	DATABASE_URL=sqlite:///$(BENCH_DB) $(MANAGE) migrate --noinput -v0
	DATABASE_URL=sqlite:///$(BENCH_DB) $(MANAGE) load_config seed_data/default -v0
	DATABASE_URL=sqlite:///$(BENCH_DB) $(MANAGE) bench

## make bench-load: 40 simulated trainees work through a scenario against gunicorn on a
## throwaway PostgreSQL, all on 127.0.0.1; last line is JSON (BENCH_LOAD_ARGS: see --help).
## install-test: the driver's HTTP client, requests, comes with the test dependencies.
bench-load: install-test compile-messages
	$(BIN)/python scripts/bench_load.py $(BENCH_LOAD_ARGS)
