# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
TRANSLATIONS := workshop/translations

.PHONY: run test setup lint translations extract-messages bench bench-deps clean

run: setup
	$(BIN)/workshop db upgrade
	$(BIN)/workshop demo
	$(BIN)/workshop serve

test: $(TEST_STAMP) translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(STAMP) translations

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(VENV)/bin/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Compiled catalogues (.mo) are built from the .po files, never committed.
translations: $(STAMP)
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS)

extract-messages: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel -q update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching

lint: $(TEST_STAMP)
	$(BIN)/ruff check workshop tests bench

# The benchmarks' own dependencies (aiohttp for the load generators, py-spy for --profile).
$(BENCH_STAMP): $(TEST_STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

bench-deps: $(BENCH_STAMP)

# A short run of the load generator; every benchmark and its full command: bench/README.md.
bench: $(BENCH_STAMP) translations
	$(BIN)/python bench/load.py --quick --no-write

clean:
	rm -rf $(VENV) .pytest_cache
