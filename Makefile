# Two commands: `make run` (set up and serve with demo content) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# honcho gives each Procfile process its own PORT; the banner reads the site's from here.
LMS_SITE_PORT ?= $(PORT)
# Every step sees where the site is served (the Wagtail Site and e-mail links follow it).
export HOST PORT LMS_SITE_PORT
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test setup setup-dev node messages migrate lint check-python clean sso-demo

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s). Set PYTHON=/path/to/python3.11." % sys.version.split()[0])'
	@command -v npm >/dev/null || { echo "npm (Node.js 20+) is needed to install the browser libraries (hls.js, Chart.js)."; exit 1; }

$(PY): | check-python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamps record which dependency set is installed; they are redone when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed-run

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node: node_modules/.package-lock.json

# Translation catalogues (.po -> .mo) with Babel: nothing beyond Python is needed.
messages: $(VENV)/.installed-run
	@$(PY) -m common.catalogues

setup: $(VENV)/.installed-run node messages
setup-dev: $(VENV)/.installed-dev node messages

migrate: setup
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0

# lms/run.py runs honcho and ends quietly on Ctrl-C (one line, status 0).
run: setup migrate
	$(PY) manage.py seed_demo
	@echo "Starting the web server, the worker and beat; the addresses follow once they answer."
	@$(PY) -m lms.run --procfile Procfile

# Single sign-on on a laptop: the tests' local OpenID provider (npm oidc-provider) on
# port $(SSO_PORT), with demo officers matched by their verified e-mail (tests/oidc/).
SSO_PORT ?= 9000
sso-demo: setup-dev migrate
	$(PY) manage.py seed_demo
	@echo "Provider: http://127.0.0.1:$(SSO_PORT) (sign in there as officer1, officer2, officer3 or stranger)"
	OIDC_PORT=$(SSO_PORT) OIDC_CLIENT_ID=lms-demo OIDC_CLIENT_SECRET=lms-demo-secret \
	OIDC_REDIRECT_URIS="http://$(HOST):$(PORT)/accounts/oidc/demo/login/callback/" \
	OIDC_POST_LOGOUT_URIS="http://$(HOST):$(PORT)/" OIDC_ACCOUNTS_FILE=tests/oidc/demo-accounts.json \
	node tests/oidc/provider.mjs & trap 'kill $$!' EXIT; \
	LMS_OIDC_ID=demo LMS_OIDC_LABEL="ThaID (สาธิต)" LMS_OIDC_ISSUER=http://127.0.0.1:$(SSO_PORT) \
	LMS_OIDC_CLIENT_ID=lms-demo LMS_OIDC_CLIENT_SECRET=lms-demo-secret \
	LMS_OIDC_SCOPES="openid email profile" LMS_OIDC_MATCH_CLAIM=email \
	HOST=$(HOST) PORT=$(PORT) $(BIN)/honcho --procfile Procfile start

test: setup-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(PY) -m common.catalogues --check
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules var
