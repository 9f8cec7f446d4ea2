"""Golden files: the store and the pages generated from the mini fixture, byte for byte.

When a change to templates or serialization is intended, refresh them with

    make golden        (or: python -m pytest tests/test_golden.py --update-golden)

and review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ingest_mini

GOLDEN = Path(__file__).parent / "golden" / "mini"
DOCS = Path(__file__).parent.parent / "docs"
# The site's hand-written files (copied into every test project), not the generator's output.
HAND_WRITTEN = {"about.md"} | {
    str(p.relative_to(DOCS)) for folder in ("stylesheets", "javascripts") for p in (DOCS / folder).rglob("*") if p.is_file()
}


def generated(project) -> dict[str, bytes]:
    files = {f"data/{k}": v for k, v in project.snapshot("data").items() if not k.startswith("topics/")}
    files.update({f"docs/{k}": v for k, v in project.snapshot("docs").items() if k not in HAND_WRITTEN})
    # The list of generated files, without the keys of their inputs, the run's and the
    # code's: those digest the generator's own code, so they change with any change to it.
    inputs, code, *listing = files["docs/.generated"].decode().splitlines()
    assert inputs.startswith("# inputs ") and code.startswith("# code ")
    files["docs/.generated"] = "".join(line.split("\t")[0] + "\n" for line in listing).encode()
    return files


def test_mini_site_matches_golden_files(project, request):
    ingest_mini(project)
    project.ok("generate")
    actual = generated(project)
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in actual.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
        pytest.skip("golden files rewritten; review the diff of tests/golden/")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(actual) == sorted(expected), "a generated file appeared or disappeared; see the module docstring"
    for rel in expected:
        assert actual[rel].decode() == expected[rel].decode(), f"{rel} differs from tests/golden/mini/{rel}"


def test_generated_files_are_ignored_by_git_and_hand_written_ones_are_not():
    """Generated pages are rebuilt from data/ and must never be committed by accident."""
    repo = Path(__file__).resolve().parent.parent
    generated = [f"docs/{p.relative_to(GOLDEN / 'docs').as_posix()}" for p in (GOLDEN / "docs").rglob("*") if p.is_file()]
    assert len(generated) > 20
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *generated], cwd=repo, capture_output=True, text=True)
    assert sorted(ignored.stdout.split()) == sorted(generated)
    hand_written = [f"docs/{name}" for name in sorted(HAND_WRITTEN)]
    kept = subprocess.run(["git", "check-ignore", "--no-index", *hand_written], cwd=repo, capture_output=True, text=True)
    assert kept.stdout == "" and kept.returncode == 1
