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

.PHONY: run test test-pg ci setup install translations migrate tenants seed lint clean bench bench-100k bench-1m bench-tools

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

BENCH_STAMP := $(VENV)/.bench-installed
BENCH_ARGS ?=

$(BENCH_STAMP): $(STAMP) setup.cfg
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[bench]'
	touch $@

bench-tools: install $(BENCH_STAMP)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk >/dev/null; } || echo "wrk missing: loopback runs are skipped"

bench: bench-tools                    ## benchmarks, small (10k products): SQLite + PostgreSQL, bench/results/
	$(BIN)/python bench/run.py --size small $(BENCH_ARGS)

bench-100k: bench-tools               ## 100k products (the SQLite database is kept under var/bench for reuse)
	$(BIN)/python bench/run.py --size 100k --reuse --profile --fanout 100 1000 $(BENCH_ARGS)

bench-1m: bench-tools                 ## 1M products (generation takes several minutes per engine)
	$(BIN)/python bench/run.py --size 1m --reuse --profile --fanout 100 1000 $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
