# Two commands on a fresh machine: `make tutorial` (the notebook's experiments) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup test tutorial bench lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The tutorial needs numpy and matplotlib only; the tests add the torch oracle and friends.
$(VENV)/.installed-tutorial: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[plot]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed-test

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

tutorial: $(VENV)/.installed-tutorial
	$(BIN)/chainrule tutorial

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py --threads 2,1

lint: $(VENV)/.installed-test
	$(BIN)/pip install --quiet ruff
	$(BIN)/ruff check src tests bench notebooks
