# Action Office — the two commands of the README, and the steps they are made of.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PO := $(wildcard locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint migrate demo collectstatic clean

install: $(STAMP) $(MO)

# Translations are compiled at install, and again whenever a catalogue changes.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	DEBUG=1 $(BIN)/python manage.py compilemessages -l $* --ignore=.venv >/dev/null

$(STAMP): pyproject.toml $(wildcard locale/*/LC_MESSAGES/*.po)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The embedded default: SQLite, in-memory channel layer, DEBUG on, demo data.
run: export DEBUG ?= 1
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Action Office is at http://$(HOST):$(PORT)/"
	@echo "Log in as teacher, psychologist, psychologist2, social, network, admin_staff,"
	@echo "coordinator, form_tutor or outsider; every demo password is: demo"
	@echo "API: http://$(HOST):$(PORT)/api/docs/"
	@echo ""
	$(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache .mypy_cache .ruff_cache
