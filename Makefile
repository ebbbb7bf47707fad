# Emploi Store — `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# The embedded default: SQLite in var/, database search, Celery tasks run in process.
DEMO_ENV := DJANGO_ENV=development
# Tests run against the real services that scripts/services.sh starts on loopback.
# Test processes side by side (each with its own test database and index prefix).
# Tests wait on PostgreSQL, Elasticsearch, browsers and killed services: four processes keep
# two cores busy (three left some of the CPU idle).
TEST_WORKERS ?= 4
TEST_ENV = eval "$$(scripts/services.sh env)" && export DJANGO_ENV=test ELASTICSEARCH_INDEX_PREFIX=test &&

.PHONY: help install demo test lint format services-up services-down services-status browser appstream screenshots accessibility-audit bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is missing: install Python 3.11+"; exit 1; }
	@echo "→ creating the virtual environment in $(VENV) and installing dependencies…"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --editable ".[dev]"
	@touch $@

install: $(INSTALLED) ## Create .venv and install the project with its dev tools

demo: $(INSTALLED) ## Run the store on SQLite with the demo catalogue at http://127.0.0.1:8000
	@mkdir -p var
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	$(DEMO_ENV) $(BIN)/python manage.py search_index --reconcile
	@echo ""
	@echo "  Store:  http://$(HOST):$(PORT)/"
	@echo "  Admin:  http://$(HOST):$(PORT)/admin/  (logins above)"
	@echo ""
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(INSTALLED) services-up browser appstream lint ## Start PostgreSQL, Redis, Elasticsearch if needed and run the whole suite
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup --durations=25

lint: $(INSTALLED) ## ruff lint and format check; import-linter checks the layers (docs/architecture.md)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(INSTALLED) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

services-up: ## Start PostgreSQL, Redis and Elasticsearch on loopback (idempotent)
	scripts/services.sh up

services-down: ## Stop the services started by services-up
	scripts/services.sh down

services-status: ## Show which services are running
	scripts/services.sh status

browser: ## Install what the browser tests need: Debian's Chromium, axe-core (npm) in .services/node
	scripts/browser.sh ensure

appstream: ## Install what the AppStream tests need: Debian's appstream (appstreamcli), Debian's catalog as XML in .services/appstream
	scripts/appstream.sh ensure

screenshots: $(INSTALLED) browser ## Regenerate docs/screenshots/ (home, search, app page) from the demo catalogue
	$(BIN)/python scripts/screenshots.py

accessibility-audit: $(INSTALLED) services-up browser ## Rewrite cms/accessibility_audit.json (the accessibility statement's results) from axe-core
	$(TEST_ENV) ACCESSIBILITY_AUDIT_WRITE=1 $(BIN)/pytest -p no:randomly tests/functional/test_accessibility_audit.py

bench: $(INSTALLED) services-up appstream ## Run the benchmarks and print their figures
	$(BIN)/python bench/generate.py
	eval "$$(scripts/services.sh env)" && $(BIN)/python bench/search.py
	eval "$$(scripts/services.sh env)" && $(BIN)/python bench/api.py
	eval "$$(scripts/services.sh env)" && $(BIN)/python bench/sync.py
	eval "$$(scripts/services.sh env)" && $(BIN)/python bench/pages.py
	eval "$$(scripts/services.sh env)" && $(BIN)/python bench/faults.py
	eval "$$(scripts/services.sh env)" && $(BIN)/python bench/load.py

clean: ## Remove the demo database, media and caches (not the services' data)
	rm -rf var .pytest_cache .ruff_cache
