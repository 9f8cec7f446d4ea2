# Everyday commands. `make serve` and `make test` work on a fresh clone: they create
# .venv and install the project into it first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve site generate check test golden clean

$(BIN)/mkdocs: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

## serve: generate docs/ from data/, then serve the site at http://127.0.0.1:8000
serve: generate
	$(BIN)/mkdocs serve

## site: generate and build the static site into site/ (strict: any warning fails)
site: generate
	$(BIN)/mkdocs build --strict

generate: $(BIN)/mkdocs
	$(BIN)/python -m generator generate

check: $(BIN)/mkdocs
	$(BIN)/python -m generator check

## test: run the whole test suite
test: $(BIN)/mkdocs
	$(BIN)/python -m pytest

## golden: rewrite tests/golden/ from the current templates (review the diff!)
golden: $(BIN)/mkdocs
	$(BIN)/python -m pytest tests/test_golden.py --update-golden

clean:
	rm -rf $(VENV) site
