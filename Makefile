# The RCP Portal's two commands:
#   make run   set up a virtual environment, migrate, load the fixtures and serve on 127.0.0.1:8000 (SQLite)
#   make test  set up the test environment and run the whole suite (lint, import layers, migrations check, pytest)
# Set DATABASE_URL to use PostgreSQL instead of the embedded SQLite file.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): one per core; TEST_WORKERS=0 runs the suite in this process.
TEST_WORKERS ?= auto
FIXTURES := $(sort $(wildcard fixtures/*.json))

.PHONY: run test install install-dev migrate fixtures superuser lint format clean browser api-fuzz bench backup restore fault-test messages compilemessages gettext

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --no-input

fixtures: migrate
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py loaddata $(FIXTURES) members/fixtures/indicators.json

run: fixtures
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver $(HOST):$(PORT)

superuser: migrate
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py createsuperuser

# Browser tests drive Debian's Chromium through Playwright (never `playwright install`).
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# axe-core for the accessibility checks of tests/browser (test-only; nothing from npm is served).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

test: install-dev browser node_modules/.package-lock.json
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

# Translations (README, "Languages"). The compiled .mo files are committed, so `make run` and
# `make test` need no gettext; after editing a .po, `make compilemessages` and commit both
# (tests/core/test_catalogues.py fails when a .mo is older than its .po's translations).
MESSAGE_IGNORE := -i ".venv/*" -i "node_modules/*" -i "static/*" -i "staticfiles/*" -i "tests/*" -i "bench/*"
gettext:
	command -v msgfmt >/dev/null || (apt-get update && apt-get install -y gettext)

messages: install gettext
	DEBUG=true $(BIN)/python manage.py makemessages -l fr -l es --no-obsolete $(MESSAGE_IGNORE)

compilemessages: install gettext
	DEBUG=true $(BIN)/python manage.py compilemessages -l fr -l es --ignore .venv --ignore node_modules

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .test-media node_modules

# Fuzz the JSON API with schemathesis from its own OpenAPI schema: a development server on
# 127.0.0.1:$(FUZZ_PORT) with the fixtures in a scratch SQLite file, a secretariat token for the
# write endpoints, every check but positive_data_acceptance (an unknown slug in a filter is a
# schema-valid string that the API refuses with a documented 400, as the pages do). Fails on any
# server error or undocumented answer. tests/api/test_schemathesis.py runs a bounded version in `make test`.
FUZZ_PORT ?= 8016
FUZZ_EXAMPLES ?= 20
FUZZ_DIR := /tmp/rcp-portal-api-fuzz
api-fuzz: install-dev
	rm -rf $(FUZZ_DIR) && mkdir -p $(FUZZ_DIR)
	export DEBUG=true DATABASE_URL=sqlite:///$(FUZZ_DIR)/db.sqlite3 API_ANON_RATE=100000/minute API_USER_RATE=100000/minute; \
	$(BIN)/python manage.py migrate --no-input -v0 && \
	$(BIN)/python manage.py loaddata -v0 $(FIXTURES) && \
	$(BIN)/python manage.py shell -c "from django.contrib.auth.models import User; from rcps.models import Process, SecretariatAssignment; user = User.objects.create_user('api-fuzzer'); SecretariatAssignment.objects.create(user=user, process=Process.objects.get(slug='colombo-process'))" && \
	TOKEN=$$($(BIN)/python manage.py drf_create_token api-fuzzer | awk '{print $$3}') && \
	{ $(BIN)/python manage.py runserver --noreload 127.0.0.1:$(FUZZ_PORT) > $(FUZZ_DIR)/server.log 2>&1 & echo $$! > $(FUZZ_DIR)/server.pid; } && \
	for _ in $$(seq 1 30); do curl -sf -o /dev/null http://127.0.0.1:$(FUZZ_PORT)/api/v1/schema/ && break; sleep 1; done; \
	$(BIN)/schemathesis run http://127.0.0.1:$(FUZZ_PORT)/api/v1/schema/ --checks all \
		--exclude-checks positive_data_acceptance --max-examples $(FUZZ_EXAMPLES) -H "Authorization: Token $$TOKEN"; \
	status=$$?; kill $$(cat $(FUZZ_DIR)/server.pid) 2>/dev/null; exit $$status

# The performance benchmark (see README, "Synthetic data and the benchmark"): prepares SQLite and
# PostgreSQL databases at fixture size and synthetic scale 1, loads each with wrk, prints the targets.
bench: install
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	bash bench/run_all.sh

# Backup and restore (README, "Backup and restore"): the database and the uploaded files in one
# archive with a manifest of checksums; `make restore BACKUP=…` restores it into an empty database
# and an empty MEDIA_ROOT and checks every table and file. pg_dump on PostgreSQL, portable elsewhere.
BACKUP_DIR ?= backups
backup: install
	mkdir -p $(BACKUP_DIR)
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py backup --output $(BACKUP_DIR)/rcp-portal-$$(date -u +%Y%m%d-%H%M%S).tar $(if $(METHOD),--method $(METHOD))

restore: install
	@test -n "$(BACKUP)" || (echo "Usage: make restore BACKUP=backups/rcp-portal-….tar" >&2; exit 2)
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py restore $(BACKUP)

# The fault test (README, "Faults survived"): 60 s of mixed load on a throwaway PostgreSQL cluster
# that is restarted in the middle; fails if an acknowledged write is lost or the site does not recover.
fault-test: install
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	$(BIN)/python bench/fault_test.py
