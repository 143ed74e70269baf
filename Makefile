# Threadline: `make demo` and `make test` work on a fresh machine with only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Extras to install. pyspark (`spark`, for the Spark backend's test) is half a gigabyte and
# adds a minute and a half to an install, so only CI asks for it: `make test EXTRAS=test,spark`.
EXTRAS ?= test
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)-$(EXTRAS)
DEMO_DB ?= demo.db
# `make demo PORT=8001` serves the demo on another port.
PORT ?= 8000
PYTEST_WORKERS ?= auto

.PHONY: demo test lint format typecheck bench bench-quick install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## Build the synthetic demo region into $(DEMO_DB) (from scratch) and serve it.
demo: $(STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/threadline --db $(DEMO_DB) demo --port $(PORT)

## Lint, type-check and run every test (PostgreSQL ones when THREADLINE_TEST_DATABASE_URL is set).
# --dist worksteal: each worker runs its own run of modules in order, so a module's shared
# fixture (a served, prepared demo) is built once, and takes work from the other when idle.
test: $(STAMP) lint typecheck
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal -q

lint: $(STAMP)
	$(BIN)/ruff check threadline tests benchmarks
	$(BIN)/ruff format --check threadline tests benchmarks
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix threadline tests benchmarks
	$(BIN)/ruff format threadline tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy --strict threadline

## Benchmarks at 1,000,000 people (several minutes); results in benchmarks/results/.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_lookup.py
	$(BIN)/python benchmarks/bench_http_check.py
	$(BIN)/python benchmarks/bench_tripwires.py
	$(BIN)/python benchmarks/bench_briefings.py
	$(BIN)/python benchmarks/bench_prison.py
	$(BIN)/python benchmarks/bench_load.py
	$(BIN)/python benchmarks/bench_locust.py

bench-quick: $(STAMP)
	$(BIN)/python benchmarks/bench_import.py --quick
	$(BIN)/python benchmarks/bench_lookup.py --quick
	$(BIN)/python benchmarks/bench_http_check.py --quick

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
