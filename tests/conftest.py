"""Shared test helpers: a throw-away project directory, the real command line, and
the real browser.

Commands run through the command line's entry point (`cli.main`, what `python -m
generator` runs) in a process of their own, with `PAPER_DIGEST_TODAY` pinned so that
year inference is reproducible. The process is a fork of the test's, which has the
generator imported already: a new interpreter would spend about a second importing
it again for each of the suite's hundreds of commands. `Project.run(..., fresh=True)`
starts `python -m generator` itself, for the tests of what happens before `main`.
"""

from __future__ import annotations

import compileall
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
import yaml
from hypothesis import settings
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# Two tiers. The everyday suite (`make test`, CI) draws few examples in property tests
# (each example of the incremental test runs the real commands) and runs few trials of
# real signals; the thorough one (`make test-thorough`, PAPER_DIGEST_TESTS=thorough)
# draws ten times as many and runs every trial the issues asked for.
THOROUGH = os.environ.get("PAPER_DIGEST_TESTS") == "thorough"
settings.register_profile("default", max_examples=6)
settings.register_profile("thorough", max_examples=60)
settings.load_profile("thorough" if THOROUGH else "default")


def trials(everyday: int, thorough: int) -> int:
    """How many times a randomised trial runs in this tier."""
    return thorough if THOROUGH else everyday


REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = sorted((FIXTURES / "listings").glob("*.txt"))
MINI = FIXTURES / "mini"
TODAY = "2025-11-22"


def pytest_configure(config: pytest.Config) -> None:
    """Byte-compile the package once, before any worker starts: where bytecode is not
    written (PYTHONDONTWRITEBYTECODE, set on some CI machines), every `python -m
    generator` and `mkdocs serve` a test starts would compile all of it again."""
    if not hasattr(config, "workerinput"):  # the controller (or a run without workers)
        compile_package(REPO / "generator")


def compile_package(folder: Path) -> None:
    compileall.compile_dir(folder, quiet=1)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ instead of comparing with it")


# The modules that take longest, longest first (pytest --durations, summed by file). With
# `--dist loadfile --no-loadscope-reorder` (make test) a worker takes the next module
# when it is free, so these start at once and the short ones fill the gaps at the end:
# in test-count order the two workers ended half a minute apart.
SLOWEST_FIRST = ["test_reading", "test_faults", "test_search_browser", "test_incremental", "test_browser", "test_site"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: place for place, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.stem, len(rank)))  # stable: the rest keep their order


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Project:
    root: Path

    def run(self, *args: str | Path, today: str = TODAY, fresh: bool = False) -> Result:
        if not fresh:
            return forked_command(self.root, [str(a) for a in args], {"PAPER_DIGEST_TODAY": today, "NO_MKDOCS_2_WARNING": "1"})
        env = {**os.environ, "PAPER_DIGEST_TODAY": today, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
        proc = subprocess.run(
            [sys.executable, "-m", "generator", *map(str, args)],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def ok(self, *args: str | Path, today: str = TODAY, fresh: bool = False) -> Result:
        result = self.run(*args, today=today, fresh=fresh)
        assert result.code == 0, f"exit {result.code}\nstdout:\n{result.out}\nstderr:\n{result.err}"
        return result

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    def snapshot(self, folder: str = "data") -> dict[str, bytes]:
        return {rel: path.read_bytes() for rel, path in self.files(folder)}

    def mtimes(self, folder: str) -> dict[str, int]:
        return {rel: path.stat().st_mtime_ns for rel, path in self.files(folder)}

    def files(self, folder: str) -> list[tuple[str, Path]]:
        """The files of a folder, but the lock files: every writer notes itself in
        data/.lock (generator/lock.py), which is not content."""
        base = self.root / folder
        found = [(p.relative_to(base).as_posix(), p) for p in sorted(base.rglob("*")) if p.is_file()]
        return [(rel, p) for rel, p in found if rel not in LOCK_FILES]


LOCK_FILES = {".lock", ".commit-lock"}


def forked_command(
    root: Path, argv: list[str], env: dict[str, str], timeout: float = 300, own_code: bool = False, before: Callable[[], None] | None = None
) -> Result:
    """`python -m generator ARGV` in `root`, as a fork of this process: its exit code
    and what it printed. The child runs the entry point as `python -m` would, an
    uncaught exception printed as a traceback with exit 1. With `own_code`, the
    child imports the generator package of `root` (a project with a copy of it)
    instead of the repository's; the libraries it uses stay imported. `before` runs in
    the child first (to become another user, say)."""
    # Here, once: every child has them imported, the libraries a command imports only
    # when it needs them too (SciPy, MkDocs); a child with its own code imports only its
    # own generator package.
    import mkdocs.commands.build  # noqa: F401
    import scipy.sparse  # noqa: F401

    if not own_code:
        import generator.cli  # noqa: F401
        import generator.related  # noqa: F401
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 70
        try:
            os.close(out_read)
            os.close(err_read)
            os.dup2(out_write, 1)
            os.dup2(err_write, 2)
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
            if before:
                before()
            os.chdir(root)
            os.environ.update(env)
            if own_code:
                for name in [m for m in sys.modules if m == "generator" or m.startswith("generator.")]:
                    del sys.modules[name]
                sys.path.insert(0, str(root))
            from generator import cli

            code = cli.main(argv)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    os.close(out_write)
    os.close(err_write)
    out, err = _read_both(out_read, err_read, timeout, pid)
    _, status = os.waitpid(pid, 0)
    return Result(os.waitstatus_to_exitcode(status), out, err)


def _read_both(out: int, err: int, timeout: float, pid: int) -> tuple[str, str]:
    """All a child writes to both pipes, read as it comes (a pipe left unread would
    fill and block the child)."""
    read = {out: bytearray(), err: bytearray()}
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        for fd in read:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            ready = selector.select(timeout=max(0.0, deadline - time.monotonic()))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                raise TimeoutError(f"the command ran for over {timeout:g} s")
            for key, _ in ready:
                chunk = os.read(key.fd, 65536)
                if chunk:
                    read[key.fd] += chunk
                else:
                    selector.unregister(key.fd)
                    os.close(key.fd)
    return read[out].decode("utf-8", "replace"), read[err].decode("utf-8", "replace")


# What a clone has besides data/: the MkDocs config, the theme override and the
# hand-written pages and assets in docs/ (everything else in docs/ is generated).
SITE_SOURCES = ["mkdocs.yml", "overrides", "docs/about.md", "docs/stylesheets", "docs/javascripts"]


def copy_site_sources(root: Path) -> None:
    for rel in SITE_SOURCES:
        source, target = REPO / rel, root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)


def build_site(root: Path, tool: str = "mkdocs", site: str = "site", env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m TOOL build --strict` in the project at `root`, as a maintainer runs it,
    and, when it succeeds, the site check (generator/site_check.py): every build a test
    makes is held to what generate meant, not only to the builder's strict mode."""
    from generator.site_check import check_site

    where = [] if tool == "zensical" else ["--site-dir", site]  # Zensical builds into mkdocs.yml's site_dir only
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO), **(env or {})}
    result = subprocess.run([sys.executable, "-m", tool, "build", "--strict", *where], cwd=root, env=env, capture_output=True, text=True)
    if result.returncode == 0:
        problems = check_site(root / "docs", root / site)
        assert problems == [], f"{tool} built {site}/, which the site check refuses:\n" + "\n".join(map(str, problems))
    return result


def make_project(root: Path, topics: Path | None) -> Project:
    """A project like a fresh clone: mkdocs.yml, the hand-written docs and the given topics."""
    copy_site_sources(root)
    (root / "data" / "topics").mkdir(parents=True)
    if topics:
        for path in topics.glob("*.yml"):
            shutil.copy(path, root / "data" / "topics" / path.name)
    return Project(root)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty project with the small test topics."""
    return make_project(tmp_path, FIXTURES / "topics")


@pytest.fixture
def plain_project(tmp_path: Path) -> Project:
    """An empty project whose one topic (diffusion) names no paper ids, so that it checks
    clean whatever papers a test stores (the mini topics name the mini papers)."""
    made = make_project(tmp_path, None)
    shutil.copy(FIXTURES / "topics" / "diffusion.yml", made.data / "topics" / "diffusion.yml")
    return made


@pytest.fixture
def hub():
    """A local stand-in for huggingface.co (tests/hfserver.py), for one test."""
    from hfserver import FakeHub

    server = FakeHub().start()
    yield server
    server.stop()


@pytest.fixture
def starter_project(tmp_path: Path) -> Project:
    """An empty project with the starter topics shipped in data/topics/."""
    return make_project(tmp_path, REPO / "data" / "topics")


def ingest_mini(project: Project) -> None:
    project.ok("ingest", MINI / "2025-03-18.txt", MINI / "2025-03-19.txt", "--source", "test")
    project.ok("ingest", MINI / "2025-03-19-agents-search.txt", "--date", "2025-03-19", "--topic", "agents", "--source", "search: agents")
    project.ok("ingest", MINI / "2025-03-20-api.json", "--source", "Hugging Face Daily Papers (API)")


def mini_project(root: Path) -> Project:
    """A new project at `root` with the test topics and the mini fixture ingested."""
    root.mkdir()
    project = make_project(root, MINI.parent / "topics")
    ingest_mini(project)
    return project


def ingest_every_kind(project: Project) -> None:
    """The mini fixture and a topic paper of an earlier year: a project whose generate
    makes a page of every kind (a topic year page too)."""
    ingest_mini(project)
    earlier = project.root / "earlier.txt"
    earlier.write_text(listing_text(("Masked Diffusion Models Revisited", ABSTRACT), date_line=None))
    project.ok("ingest", earlier, "--date", "2024-06-03")


def site_papers(folder: Path) -> list[dict]:
    """Every paper of the papers files in `folder` (docs/ or a built site), as a reader's
    script gets them: papers.json, then each month's file it lists."""
    index = json.loads((folder / "papers.json").read_text(encoding="utf-8"))
    return [paper for month in index["months"] for paper in json.loads((folder / month["url"]).read_text(encoding="utf-8"))["papers"]]


def free_port() -> int:
    """A port of this machine nothing listens on: bound, then closed again."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listing_text(*papers: tuple[str, str], date_line: str | None = "Mar 18", chrome: bool = True) -> str:
    """A text dump in the Daily Papers format, for parser and CLI tests."""
    parts = ["new", "Get trending papers in your email inbox!", "Subscribe", "byAK and the research community"] if chrome else []
    if date_line:
        parts.append(date_line)
    for title, abstract in papers:
        parts += [title, abstract]
    return "\n\n".join(parts) + "\n"


ABSTRACT = (
    "We propose a method for a problem that matters. Experiments on three benchmarks show that it "
    "works better than the baselines, and we release the code for others to build on."
)


# ---- the browser (Debian's chromium, driven by Playwright) -----------------------------

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "install Debian's chromium (apt-get install chromium); .ci/run does"
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield instance
        instance.close()


class Tabs:
    """New tabs for each test, in browser contexts the tests of a module share.

    A context of its own for every test made its first page cost twice the CPU of a page
    in a warm one (every script fetched and compiled again into an empty cache): the
    largest single cost of the browser tests. What a test must not inherit from the one
    before is the reader's state, kept in localStorage: it is cleared whenever a shared
    context is used again. sessionStorage belongs to a tab, and every test gets new tabs."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.contexts: dict[tuple[str, int, int, str], BrowserContext] = {}
        self.opened: list[Page] = []

    def open(self, url: str, width: int = 1280, height: int = 900, scheme: str = "light") -> Page:
        """A new tab on the site served at url, its reading state empty."""
        key = (url, width, height, scheme)
        context = self.contexts.get(key)
        reused = context is not None
        if context is None:
            context = self.browser.new_context(viewport={"width": width, "height": height}, base_url=url, color_scheme=scheme)
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
            self.contexts[key] = context
        tab = context.new_page()
        if reused and not any(opened.context is context for opened in self.opened):
            # An earlier test's tabs are closed and their writes done; this test's own stay.
            session = context.new_cdp_session(tab)
            session.send("Storage.clearDataForOrigin", {"origin": url.rstrip("/"), "storageTypes": "local_storage"})
            session.detach()
        self.opened.append(tab)
        return tab

    def close_tabs(self) -> None:
        for tab in self.opened:
            tab.close()
        self.opened.clear()

    def close(self) -> None:
        self.close_tabs()
        for context in self.contexts.values():
            context.close()


@pytest.fixture(scope="module")
def _shared_contexts(browser):
    shared = Tabs(browser)
    yield shared
    shared.close()


@pytest.fixture
def tabs(_shared_contexts) -> Tabs:
    """Opens tabs for this test (tabs.open(url, width, height, scheme)); closes them after it."""
    yield _shared_contexts
    _shared_contexts.close_tabs()


def open_page(page: Page, path: str | None = None) -> None:
    """Open a page (or reload this one: no path) and wait until its scripts have run:
    its `load` event comes after every script of the page, Material's bundle and the
    reader's modules, and this waits for Material's palette and `document$` too. What a
    script fetches later (an index file, related papers), a test waits for by what it shows."""
    if path is None:
        page.reload()
    else:
        page.goto(path)
    page.wait_for_function("() => typeof document$ !== 'undefined' && document.body.dataset.mdColorScheme !== undefined")


class _TagsIgnored(yaml.SafeLoader):
    """mkdocs.yml's !ENV and !!python tags read as null: tests read its lists."""


_TagsIgnored.add_multi_constructor("", lambda loader, suffix, node: None)


def mkdocs_config() -> dict:
    """The project's mkdocs.yml as data, its tags as null."""
    return yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TagsIgnored)
