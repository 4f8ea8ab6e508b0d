# Two commands on a fresh machine: `make tutorial` (the notebook's experiments) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup test tutorial bench lint

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

test: setup
	$(BIN)/python -m pytest

tutorial: setup
	$(BIN)/chainrule tutorial

bench: setup
	$(BIN)/python bench/run.py

lint: setup
	$(BIN)/pip install --quiet ruff
	$(BIN)/ruff check src tests bench notebooks
