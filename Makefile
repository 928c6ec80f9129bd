# Jobbag: `make run` sets everything up and serves on :8000; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
PORT ?= 8000
UV_VERSION := 0.9.5
# The system packages Jobbag needs on Debian 12: a CJK font for PDFs, WeasyPrint's
# libraries, gettext to compile translations, Node.js/npm for front-end packages and
# Chromium for the browser tests.
APT_PACKAGES := fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0 gettext nodejs npm chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench system-deps venv assets setup lint format messages clean

system-deps:
	@need=""; for p in $(APT_PACKAGES); do \
	  case $$p in nodejs|npm) command -v $${p/nodejs/node} >/dev/null && continue;; esac; \
	  dpkg -s $$p >/dev/null 2>&1 || need="$$need $$p"; done; \
	if [ -n "$$need" ]; then echo "Installing system packages:$$need"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$need; fi

$(VENV)/bin/uv:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q uv==$(UV_VERSION)

venv: $(VENV)/bin/uv
	$(UV) sync --frozen --inexact --no-dev --python $(PY) -q

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json

setup: system-deps venv assets
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py compilemessages -v 0 --ignore=.venv --ignore=node_modules
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py seed_demo --if-empty

run: setup
	$(PY) manage.py serve --port $(PORT)

test: system-deps assets $(VENV)/bin/uv
	$(UV) sync --frozen --python $(PY) -q
	$(PY) manage.py compilemessages -v 0 --ignore=.venv --ignore=node_modules
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) -m pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

bench: setup
	$(UV) sync --frozen --python $(PY) -q
	$(PY) manage.py bench $(BENCH_ARGS)

lint:
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

messages:
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete

clean:
	rm -rf $(VENV) node_modules var
