# Suivi ETP — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8050
PYTEST_ARGS ?=
# pytest-xdist workers of `make test` and `make test-fast`: two by default (the suite takes
# about 9 minutes on 2 cores); `TEST_WORKERS=auto` one per core, `TEST_WORKERS=0` one process.
TEST_WORKERS ?= 2
XDIST := -n $(TEST_WORKERS) --dist load

.PHONY: install run demo test test-fast lint format clean bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Bootstrap (from a wheel) and Plotly's basic bundle (from the npm registry, pinned and checked
# against its sha512: app/vendor.py) in assets/vendor/, never committed.
PLOTLY_BASIC := assets/vendor/plotly-basic.min.js
$(PLOTLY_BASIC): $(STAMP) app/vendor.py
	$(BIN)/python -c 'from app import ASSETS; from app.vendor import ensure_vendor_assets as e; e(ASSETS, telecharger_npm=True)'
	touch $@

install: $(STAMP) $(PLOTLY_BASIC)

instance/.demo-loaded: $(STAMP)
	$(BIN)/suivi-etp init-db
	$(BIN)/suivi-etp demo
	touch $@

demo: instance/.demo-loaded

run: install demo
	@$(BIN)/python -c "from auth.demo import read_demo_password as p; print('\nConnexion : http://$(HOST):$(PORT)/connexion  comptes siae|ddets|cd|dreets|dgefp|admin@demo.test  mot de passe : ' + (p() or '(voir suivi-etp demo --password)') + '\n')"
	$(BIN)/suivi-etp run --host $(HOST) --port $(PORT)

# Every layer, in random order (pytest-randomly; `-p no:randomly` to turn it off). With
# TEST_WORKERS, on pytest-xdist workers: tests/deploy (Redis) and tests/e2e each stay in one
# worker (tests/conftest.py, pytest_xdist_make_scheduler).
test: install
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

# The quick local loop: everything but chromium and the production stack (CI runs them all).
test-fast: install
	$(BIN)/pytest $(XDIST) -m "not browser and not deploy" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) instance assets/vendor .pytest_cache .ruff_cache .hypothesis
