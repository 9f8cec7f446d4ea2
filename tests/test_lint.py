"""The code is linted: the Python with ruff, as configured in pyproject.toml
(`ruff check --fix . && ruff format .` makes a change pass), the site's JavaScript and
its Node tests with ESLint, as configured in tools/eslint.config.mjs (`make lint`
runs both)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO, mkdocs_config


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=REPO, capture_output=True, text=True, timeout=120)


def test_ruff_finds_nothing_to_lint():
    result = ruff("check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing_to_reformat():
    result = ruff("format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


ESLINT = REPO / "tools" / "node_modules" / ".bin" / "eslint"
JAVASCRIPT = ["docs/javascripts", "tools/test", "tools/eslint.config.mjs"]


def eslint(*args: str) -> subprocess.CompletedProcess:
    assert ESLINT.exists(), "ESLint comes with the test tools: make test installs them (npm ci --prefix tools)"
    command = [str(ESLINT), "--config", "tools/eslint.config.mjs", *args, *JAVASCRIPT]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)


def test_eslint_finds_nothing_to_lint():
    result = eslint("--max-warnings", "0")
    assert result.returncode == 0, result.stdout + result.stderr


def test_eslint_lints_every_script_of_the_site():
    """A script the config does not match would be skipped in silence."""
    linted = {Path(r["filePath"]).relative_to(REPO).as_posix() for r in json.loads(eslint("--format", "json").stdout)}
    scripts = {p.relative_to(REPO).as_posix() for p in (REPO / "docs" / "javascripts").rglob("*.js")}
    assert scripts <= linted


def test_the_site_loads_every_module_of_the_reader_and_main_last():
    """A module left out of mkdocs.yml would be missing in silence until a reader used
    its feature; main.js runs the others, so it comes after all of them, and its
    comment lists each one."""
    loaded = mkdocs_config()["extra_javascript"]
    modules = sorted(f"javascripts/reader/{p.name}" for p in (REPO / "docs" / "javascripts" / "reader").glob("*.js"))
    assert sorted(s for s in loaded if s.startswith("javascripts/reader/")) == modules
    assert loaded[-1] == "javascripts/reader/main.js"
    listed = (REPO / "docs" / "javascripts" / "reader" / "main.js").read_text(encoding="utf-8")
    assert [m for m in modules if f"//   {m.rsplit('/', 1)[1]} " not in listed] == ["javascripts/reader/main.js"]
    # The files they share with the search worker come first.
    assert loaded.index("javascripts/search-text.js") < loaded.index("javascripts/reader/reading.js")
    assert loaded.index("javascripts/index-files.js") < loaded.index("javascripts/reader/reading.js")
