# Two commands for everyone: `make lab` (set up and open the curriculum) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# Jupyter refuses to run as root unless told to (containers, CI); ordinary users never need this.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test check build bench lint format clean

# Create .venv if missing; reinstall when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The content check is shown but never blocks the lab: one broken file must not stop the rest.
lab: $(STAMP)
	-$(BIN)/peersupport check
	$(BIN)/jupyter lab --ip=127.0.0.1 --port=$(PORT) --ServerApp.root_dir=. $(ROOT_FLAG) \
	    --LabApp.default_url=/lab/tree/modules/01-active-listening.ipynb

test: $(STAMP)
	$(BIN)/peersupport check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/peersupport check

# Regenerate every generated file (schemas, exercises/ from autograder/items/, docs/coverage.md).
build: $(STAMP)
	$(BIN)/peersupport build

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks

clean:
	rm -rf $(VENV) course .pytest_cache
