# The two commands a newcomer needs: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install test-tools lint deploy-check messages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else "Python 3.13 is required (see .python-version); got " + sys.version)'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

install: $(VENV)/.installed

# Browser tests drive Debian's Chromium, never a browser downloaded by Playwright; exported PDFs are read
# back with poppler's pdftotext, as a recipient's PDF reader would; the catalogue test extracts the marked
# strings with GNU gettext's xgettext, as `make messages` does.
test-tools:
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null && command -v xgettext >/dev/null || { \
	  [ "$$(id -u)" = 0 ] || { echo "Install Debian's packages: sudo apt-get install chromium poppler-utils gettext" >&2; exit 1; }; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils gettext >/dev/null; }

# The Russian catalogue (docs/translating.md): extract what the code marks (GNU gettext, from test-tools), then
# translate the new entries in locale/ru/LC_MESSAGES/django.po and run this again to compile it (with babel).
messages: install test-tools
	$(BIN)/python manage.py makemessages --locale ru --no-obsolete --add-location file --ignore tests --ignore bench --ignore var
	$(BIN)/pybabel compile --domain django --directory locale --locale ru --statistics

demo: install
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py load_demo
	@echo "Open http://$(HOST):$(PORT)/ and log in with one of the accounts above."
	@# The worker runs the background tasks (bulk exports) and stops with the server. Ctrl-C reaches the
	@# worker too, so it may be gone already when the shell exits: stop it quietly, and wait for it.
	$(BIN)/python manage.py db_worker --no-reload & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null; wait $$WORKER' EXIT; trap exit INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install test-tools
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/bandit --quiet --recursive accounts cases appeals exports reminders imports front config --exclude '*/migrations/*'

# The deployment gate: Django's checks and ours, with production settings and throw-away keys.
deploy-check: install
	APP_ENV=production ALLOWED_HOSTS=cases.example.org \
	SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))') \
	NAME_SEARCH_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))') \
	FIELD_ENCRYPTION_KEYS=$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	$(BIN)/python manage.py check --deploy --fail-level WARNING
