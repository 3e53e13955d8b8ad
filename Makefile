# The README's commands. Needs only Python 3.11+ and make: everything else is installed into .venv.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
MO     := locale/vi/LC_MESSAGES/django.mo
WEB_PORT ?= 8000
export WEB_PORT

.PHONY: run test bench lint format messages clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    - install, migrate, load demo data, start web (http://127.0.0.1:$(WEB_PORT)/) + Celery worker and beat"
	@echo "make test   - the whole test suite (SQLite and the server-less broker unless DATABASE_URL/CELERY_BROKER_URL say otherwise)"
	@echo "make bench  - the national-scale benchmark (SCALE=0.1 for a tenth; PostgreSQL when DATABASE_URL says so)"
	@echo "make lint   - ruff"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s); set PYTHON=..." % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# Compiled without GNU gettext (polib), so a fresh machine needs nothing but Python.
$(MO): locale/vi/LC_MESSAGES/django.po $(STAMP)
	$(PY) scripts/compile_messages.py

run: $(STAMP) $(MO)
	@mkdir -p var
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	@echo "Starting web server on http://127.0.0.1:$(WEB_PORT)/ and a Celery worker with beat, restarted if it exits (Ctrl-C stops all)."
	DJANGO_DEBUG=1 PYTHONUNBUFFERED=1 $(VENV)/bin/honcho -f Procfile.dev start || true

test: $(STAMP) $(MO)
	$(PY) -m pytest

# A throw-away database of its own (nghenhan_bench_<pid> beside DATABASE_URL's, or a temporary SQLite file);
# writes bench/results/latest.json and latest.md. BENCH_ARGS passes more options (python -m bench.run -h).
SCALE ?= 1.0
bench: $(STAMP) $(MO)
	$(PY) -m bench.run --scale $(SCALE) $(BENCH_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# For developers with GNU gettext: collect new strings into the catalogue, then translate them.
messages: $(STAMP)
	$(PY) manage.py makemessages --locale vi --no-obsolete --no-location --ignore '.venv/*' --ignore 'var/*'
	$(PY) scripts/compile_messages.py

clean:
	rm -rf $(VENV) var $(MO)
