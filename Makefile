# lokal willkommen: `make run` serves the demo, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
LANGS := -l de -l en -l ar -l uk -l fa -l tr -l ru -l ti

.PHONY: run dev test check e2e messages compilemessages bench clean install install-test

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

.local-secret-key:
	@$(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

## Serve the portal with demo data on SQLite, with gunicorn, on http://127.0.0.1:$(PORT)
run: install .local-secret-key
	@export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .local-secret-key)}" \
	  DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	  DJANGO_HTTPS="$${DJANGO_HTTPS:-0}"; \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py seed_demo && \
	$(PY) manage.py collectstatic --noinput -v 0 && \
	echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl+C stops)" && \
	exec $(VENV)/bin/gunicorn lokalwillkommen.wsgi --bind 127.0.0.1:$(PORT) \
	  --workers 2 --threads 4 --reuse-port --no-control-socket --access-logfile - \
	  --logger-class lokalwillkommen.log_redaction.RedactingLogger

## Django's development server, for working on templates
dev: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

## Every test: lint, migrations, catalogues, unit, view and browser tests
test: install-test
	$(VENV)/bin/ruff check .
	DJANGO_SECRET_KEY=check $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## Update the translation catalogues after changing strings (needs GNU gettext)
messages: install
	DJANGO_DEBUG=1 $(PY) manage.py makemessages $(LANGS) --no-location --no-obsolete --ignore=.venv --ignore=staticfiles $(if $(APP),--app $(APP))
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

bench: install-test
	$(PY) scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
