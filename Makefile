# Two commands for everyone: `make lab` (set up and open the curriculum) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# Jupyter refuses to run as root unless told to (containers, CI); ordinary users never need this.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# JupyterHub (deploy/jupyterhub/, `make hub`, tests/hub/) runs each person's server as their own
# account, so the hub's environment must be usable by every account: built from a Python outside
# /root (Debian's /usr/bin/python3; pyenv's lives in /root).
HUB_PYTHON ?= $(if $(wildcard /usr/bin/python3),/usr/bin/python3,$(PYTHON))
HUB_VENV   := .venv-hub
HUB_STAMP  := $(HUB_VENV)/.installed
HUB_PORT   ?= 8000

.PHONY: lab test check build bench lint format clean hub

# Create .venv if missing; reinstall when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The content check is shown but never blocks the lab: one broken file must not stop the rest.
# MODE=trainee (default): the curriculum and the Assignments list, none of nbgrader's instructor tools;
# MODE=instructor: everything nbgrader offers (src/peersupport/modes/).
MODE ?= trainee
lab: $(STAMP)
	@case "$(MODE)" in trainee|instructor) ;; *) echo "MODE must be trainee or instructor" >&2; exit 2;; esac
	-$(BIN)/peersupport check
	JUPYTER_CONFIG_PATH=$(CURDIR)/src/peersupport/modes/$(MODE)$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH} \
	$(BIN)/jupyter lab --ip=127.0.0.1 --port=$(PORT) --ServerApp.root_dir=. $(ROOT_FLAG) \
	    --LabApp.default_url=/lab/tree/modules/01-active-listening.ipynb

# Test files run in parallel, each file whole on one worker (pytest-xdist --dist loadfile), so a module's expensive
# fixtures are built once: most slow tests wait on kernels and servers. TEST_WORKERS=0 runs them one after another.
TEST_WORKERS ?= auto
test: $(STAMP) $(HUB_STAMP)
	$(BIN)/peersupport check
	$(BIN)/python -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile) $(PYTEST_ARGS)

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

# --- JupyterHub (deploy/jupyterhub/) ----------------------------------------------------------------

$(HUB_STAMP): pyproject.toml
	test -x $(HUB_VENV)/bin/python || $(HUB_PYTHON) -m venv $(HUB_VENV)
	$(HUB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(HUB_VENV)/bin/python -m pip install --quiet -e .
	touch $(HUB_STAMP)

# A demonstration hub on 127.0.0.1:$(HUB_PORT): two trainees, one instructor (needs root and
# configurable-http-proxy). Ctrl+C stops it and removes the accounts it made.
hub: $(HUB_STAMP)
	$(HUB_VENV)/bin/python -m peersupport.hub.demo --port $(HUB_PORT)

clean:
	rm -rf $(VENV) $(HUB_VENV) course .pytest_cache
