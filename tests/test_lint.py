"""The code is linted: the Python with ruff, as configured in pyproject.toml
(`ruff check --fix . && ruff format .` makes a change pass), the site's JavaScript and
its Node tests with ESLint, as configured in tools/eslint.config.mjs (`make lint`
runs both)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO


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
    scripts = {p.relative_to(REPO).as_posix() for p in (REPO / "docs" / "javascripts").glob("*.js")}
    assert scripts <= linted
