# Action Office — the two commands of the README, and the steps they are made of.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
UV := $(BIN)/uv
UV_VERSION := 0.13.9
PO := $(wildcard locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install lock run serve test lint migrate demo collectstatic clean

install: $(STAMP) $(MO)

# Translations are compiled at install, and again whenever a catalogue changes.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	DEBUG=1 $(BIN)/python manage.py compilemessages -l $* --ignore=.venv >/dev/null

# Installs are reproducible: every package comes pinned (with hashes) from uv.lock, which `make
# lock` generates from pyproject.toml's ranges. `--locked` refuses to install when the two
# disagree, so a range changed without regenerating the lock fails here and in CI.
$(STAMP): pyproject.toml uv.lock $(wildcard locale/*/LC_MESSAGES/*.po)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(BIN)/python -m pip install --quiet 'uv==$(UV_VERSION)'
	$(UV) sync --quiet --locked --inexact --extra dev --python $(BIN)/python
	@touch $(STAMP)

# Regenerate uv.lock after changing a dependency range in pyproject.toml.
lock:
	@test -x $(UV) || { test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); $(BIN)/python -m pip install --quiet 'uv==$(UV_VERSION)'; }
	$(UV) lock

# The embedded default: SQLite, in-memory channel layer, DEBUG on, demo data.
run: export DEBUG ?= 1
run: export FRIENDLY_ERROR_PAGES ?= 1
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Action Office is at http://$(HOST):$(PORT)/"
	@echo "Log in as teacher, psychologist, psychologist2, social, network, admin_staff,"
	@echo "director, deputy, counsellor, ceiac,"
	@echo "coordinator, form_tutor or outsider; every demo password is: demo"
	@echo "API: http://$(HOST):$(PORT)/api/docs/"
	@echo ""
	$(BIN)/daphne -v 0 -b $(HOST) -p $(PORT) config.asgi:application

# The production topology on this machine (tools/serve.py; deploy/ has the same for systemd and
# compose): one ASGI worker per core, a Celery worker and beat, on PostgreSQL and Redis, DEBUG off.
# The defaults below are for a local try; a deployment sets its own environment.
serve: export DEBUG ?= 0
serve: export DATABASE_URL ?= postgresql://$(shell id -un)@127.0.0.1:5432/action_office
serve: export REDIS_URL ?= redis://127.0.0.1:6379/0
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export SECURE_SSL_REDIRECT ?= 0
serve: export SESSION_COOKIE_SECURE ?= 0
serve: export CSRF_COOKIE_SECURE ?= 0
serve: export EMAIL_URL ?= smtp://127.0.0.1:25
# A key made for this run when none is set: sessions and tokens' signatures last until it stops.
serve: export SECRET_KEY ?= $(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')
serve: install
	$(BIN)/python tools/serve.py --host $(HOST) --port $(PORT)

# One worker per core (pytest-xdist); each worker has its own test database and Redis namespace.
# Tests are dealt one by one and an idle worker takes from the busy one's share (worksteal), so
# the long files (the browser journeys, the generated matrices) do not leave one worker alone.
TEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache .mypy_cache .ruff_cache
