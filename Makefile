# The index of the project's commands. `make run` and `make test` set up everything they need.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# `make run` is the embedded default: SQLite under var/, tasks in-process, e-mail on the console.
# Links in e-mails point to the address it serves, unless SITE_URL says otherwise.
RUN_ENV := DEBUG=$${DEBUG:-true} SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}

.PHONY: run test lint check-deploy messages install clean bench css

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@mkdir -p var
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py load_demo
	$(RUN_ENV) $(PY) manage.py load_demo_groups
	$(RUN_ENV) $(PY) manage.py load_demo_proposals
	$(RUN_ENV) $(PY) manage.py load_demo_meetings
	$(RUN_ENV) $(PY) manage.py run_periodic & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	  $(RUN_ENV) $(PY) manage.py runserver --noreload $(HOST):$(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

test: lint
	@mkdir -p var
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The production checklist, with the values the README documents for production.
check-deploy: $(STAMP)
	DEBUG=false SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=allas.vimmerby.se SITE_URL=https://allas.vimmerby.se \
	  $(PY) manage.py check --deploy --fail-level WARNING

# Needs GNU gettext (apt-get install gettext); the compiled catalogues are committed.
messages: $(STAMP)
	DEBUG=true $(PY) manage.py makemessages -l sv -l en --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var

# The portal's Bootstrap from its Sass sources (npm registry), only the parts in use; the
# result is committed, so `make run` needs no Node. Needs Node.js and npm.
CSS_OUT := static/vendor/bootstrap/bootstrap.min.css
css: $(STAMP)
	npm ci --no-audit --no-fund
	node_modules/.bin/sass --style=compressed --no-source-map --quiet-deps \
	  --load-path=node_modules static/scss/bootstrap.scss var/bootstrap.full.css
	SITE_PACKAGES=$$($(PY) -c 'import sysconfig;print(sysconfig.get_paths()["purelib"])') \
	  node_modules/.bin/purgecss --config static/scss/purgecss.config.cjs \
	  --css var/bootstrap.full.css --output var/
	mv var/bootstrap.full.css $(CSS_OUT)

# Performance of the busiest pages against PostgreSQL, served by gunicorn; needs wrk.
bench: $(STAMP)
	$(PY) bench/proposals.py; status=$$?; $(PY) bench/meetings.py && exit $$status
