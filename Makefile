# Rugzicht. `make help` lists the targets. Every target creates .venv when it is missing and
# installs the pinned requirements only when a requirements file changed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.DEFAULT_GOAL := help
.PHONY: help dashboard test lint data screenshots bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt constraints.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt constraints.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@ $(VENV)/.runtime

dashboard: $(VENV)/.runtime ## Serve the dashboard on the bundled data at http://localhost:8501
	$(BIN)/python -m streamlit run dashboard/app.py --server.port $(PORT)

lint: $(VENV)/.dev ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

data: $(VENV)/.dev ## Rebuild data/public and datapackage.json from the snapshots in data/sources
	$(BIN)/python -m analysis.curation
	$(BIN)/python -m analysis.metadata
	$(BIN)/python -m analysis.data check

test: lint ## Lint, validate the data package, run every test (browser tests need Chromium)
	$(BIN)/python -m analysis.metadata --check
	$(BIN)/python -m analysis.data check
	@$(BIN)/python -m tests.browser
	$(BIN)/python -m pytest

screenshots: $(VENV)/.dev ## Regenerate docs/screenshots/*.png for the README (needs Chromium)
	$(BIN)/python -m tests.screenshots

bench: $(VENV)/.dev ## Run the benchmarks (bench/, ~15 min; QUICK=1 for a smoke run) and update the README table
	$(BIN)/python -m bench $(if $(QUICK),--quick)

clean: ## Remove the environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
