# Two everyday targets; each creates the virtual environment and installs sitroom when missing.
#   make demo   analyse the bundled sample article, store it in ./sitroom.db, print a summary
#   make test   lint + the whole test suite (the evaluation gate included when ../shared/eval/dev exists)
#   make build  recompile the analysis stages (Cython) after editing them; until then the edited
#               source runs (slower), never the stale build
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.sitroom-installed

.PHONY: demo test test-fast lint build clean

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sitroom demo

test: $(STAMP)
	$(BIN)/ruff check src tests bench scripts setup.py
	bash scripts/ensure_browser.sh
	$(BIN)/pytest -m "slow or not slow"

test-fast: $(STAMP)
	$(BIN)/pytest -m "not slow"

build: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts setup.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache src/sitroom/*.c src/sitroom/*.so src/sitroom/_compiled.json
