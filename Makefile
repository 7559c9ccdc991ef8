# Pasar — two commands do all the set-up:  make run   (the demo)   and   make test.
# Everything else here is a step they depend on.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PLUGINS := $(wildcard plugins/*/setup.cfg)
PLUGIN_DIRS := $(patsubst %/setup.cfg,%,$(PLUGINS))
STAMP  := $(VENV)/.installed
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
REDIS_URL ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?=

.PHONY: run test test-pg ci setup install translations migrate tenants seed lint clean bench

run: setup seed                       ## the demo: every tenant, seeded, served, with a worker
	$(BIN)/pasar run

test: install translations           ## the whole suite on the embedded defaults (SQLite)
	$(BIN)/pytest $(PYTEST_ARGS)

test-pg: install translations        ## the same suite on PostgreSQL + Redis
	PASAR_TEST_DATABASE_URL=$(PG_URL) PASAR_TEST_BROKER_URL=$(REDIS_URL) $(BIN)/pytest $(PYTEST_ARGS)

ci: test test-pg

setup: install translations migrate tenants

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml $(PLUGINS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]' $(addprefix -e ,$(PLUGIN_DIRS))
	touch $@

translations: install                 ## compile every gettext catalog (kernel and plugins)
	@for dir in locales $(addsuffix /pasar_*/locales,$(PLUGIN_DIRS)); do \
	  for d in $$dir; do \
	    if ls $$d/*/LC_MESSAGES/*.po >/dev/null 2>&1; then $(BIN)/pybabel compile -d $$d >/dev/null || exit 1; fi; \
	  done; \
	done

migrate: install
	$(BIN)/pasar db upgrade

tenants: migrate
	$(BIN)/pasar tenants apply tenants/

seed: tenants
	$(BIN)/pasar demo seed

lint: install
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) var .pytest_cache
