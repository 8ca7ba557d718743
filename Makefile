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

.PHONY: run test lint check-deploy messages install clean bench css lock

# Installs exactly what the lock files name, each file checked against its hash; the portal
# itself goes in without resolving anything again. Reinstalls when a lock file changes.
$(STAMP): pyproject.toml requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

# The lock files, from pyproject.toml: every dependency's exact version and the hashes of
# its files on PyPI. The development file is held to the same versions as the production
# one. Resolved against PyPI alone, whatever mirrors the local pip configuration names, so
# the hashes are the ones every machine is served. `make lock` keeps the versions already
# locked where they still fit; `make lock UPGRADE=1` takes the newest that fit, and
# `make lock UPGRADE_PACKAGE=django` the newest of that one.
PIP_COMPILE = env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL PIP_CONFIG_FILE=/dev/null \
  $(VENV)/bin/pip-compile --quiet --strip-extras --generate-hashes --allow-unsafe \
  --index-url=https://pypi.org/simple --no-emit-index-url $(if $(UPGRADE),--upgrade) \
  $(if $(UPGRADE_PACKAGE),--upgrade-package=$(UPGRADE_PACKAGE))
lock:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	@test -x $(VENV)/bin/pip-compile || $(PY) -m pip install --quiet pip-tools
	$(PIP_COMPILE) --output-file=requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra=dev --constraint=requirements.txt --output-file=requirements-dev.txt pyproject.toml

run: $(STAMP)
	@mkdir -p var
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py load_demo
	$(RUN_ENV) $(PY) manage.py load_demo_groups
	$(RUN_ENV) $(PY) manage.py load_demo_meetings
	$(RUN_ENV) $(PY) manage.py load_demo_proposals
	$(RUN_ENV) $(PY) manage.py run_periodic & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	  $(RUN_ENV) $(PY) manage.py runserver --noreload $(HOST):$(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_layers.py
# New migrations must be safe while another server still runs the old code (a rolling
# deploy): read as PostgreSQL's SQL, so with no PostgreSQL in DATABASE_URL it only says so.
	DEBUG=true $(PY) scripts/lint_migrations.py

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

# Performance of the busiest pages against PostgreSQL, served by gunicorn; needs wrk. Then
# the password check at login and the year's account. Every benchmark runs; any missed
# target fails.
bench: $(STAMP)
	$(PY) bench/proposals.py; status=$$?; $(PY) bench/meetings.py || status=1; \
	  $(PY) bench/login.py || status=1; $(PY) bench/year_account.py || status=1; exit $$status
