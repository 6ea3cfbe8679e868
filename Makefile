# Two commands set everything up: `make run` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: run test ui lint format bench-match bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml

run: $(STAMP) $(DAGSTER_HOME)/dagster.yaml  ## the whole daily job on the bundled snapshot
	$(BIN)/python -m ess_assets.cli run

test: $(STAMP)  ## lint, format check and the whole test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

ui: $(STAMP) $(DAGSTER_HOME)/dagster.yaml  ## the Dagster UI and daemon (schedule running)
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

lint: $(STAMP)
	$(BIN)/ruff check --fix .

format: $(STAMP)
	$(BIN)/ruff format .

bench-match: $(STAMP)  ## matching benchmark (issue 4)
	$(BIN)/python -m benchmarks.match

bench: $(STAMP)  ## the whole daily run on generated workloads of 10k, 100k and 300k records
	$(BIN)/python -m benchmarks.daily

clean:
	rm -rf var .dagster_home
