# Two everyday targets; each creates the virtual environment and installs sitroom when missing.
#   make demo   analyse the bundled sample article, store it in ./sitroom.db, print a summary
#   make test   lint + the whole test suite (the evaluation gate included when ../shared/eval/dev exists)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.sitroom-installed

.PHONY: demo test test-fast lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sitroom demo

test: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	bash scripts/ensure_browser.sh
	$(BIN)/pytest -m "slow or not slow"

test-fast: $(STAMP)
	$(BIN)/pytest -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache
