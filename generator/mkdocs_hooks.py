"""MkDocs hooks (mkdocs.yml `hooks:`): the build-time half of the site stage.

- Generated pages carry their raw HTML blocks lifted out of the Markdown (see
  render/rawhtml.py); these hooks hand Markdown the page without them and put them
  back into the HTML Markdown made, so MkDocs never parses the entries' HTML.
- Day and topic pages are not in the nav (it would be huge); their front matter
  names the nav page of their section (`section: dates/index.md`), which is marked
  active while they are rendered, so Material highlights that tab.
- Under `mkdocs serve`, docs/ is generated from data/ before the first build, and
  again whenever a file in data/ changes (an edited topic file, an ingested
  listing): `generate` rewrites the pages that changed, and MkDocs, which watches
  docs/, rebuilds and reloads the browser. A build and a generate never overlap:
  a build waits for the generate that is changing docs/, and a generate for the
  build that is reading it (a build that read a change half made failed, and the
  server hung until the next change). After a failed build, the next generate
  that succeeds asks for a build even if it changed nothing, so the server never
  stays stuck on pages that are fine. PAPER_DIGEST_GENERATE_ARGS adds options
  (`make serve-recent`: "--recent 30"). `mkdocs build` never generates: the
  publish job and `make site` run `generate` themselves, once.
"""

from __future__ import annotations

import atexit
import logging
import os
import shlex
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from generator.atomic import has_committed_journal
from generator.render import rawhtml

log = logging.getLogger("mkdocs.hooks.paper_digest")

_lifted: dict[str, list[str]] = {}  # page source path -> its lifted blocks, for one build
_sections: dict[str, Any] = {}  # nav page source path -> its nav page, for one build
_serving = {"on": False, "generated": False, "failed": False, "building": False}
_docs = threading.Lock()  # under serve: held by the generate changing docs/, or the build reading it
REBUILD = ".paper-digest-rebuild"  # a file in docs/ made and removed to wake MkDocs' watcher


def on_startup(command: str, **_: Any) -> None:
    _serving["on"] = command == "serve"


def on_pre_build(config: Any, **_: Any) -> None:
    if _serving["on"]:
        if not _serving["generated"]:
            _serving["generated"] = True
            _generate(_root(config))
        _docs.acquire()  # not while a generate changes docs/
        _serving["building"] = True
    docs = _root(config) / "docs"
    if has_committed_journal(docs):
        # A generate was stopped while it moved its files in: half of them are there.
        raise PluginError(
            "docs/ holds a change a generate committed and did not finish: run 'python -m generator generate' "
            "(it finishes the change first), then build again"
        )


def on_post_build(**_: Any) -> None:
    _serving["failed"] = False
    _build_ended()


def on_build_error(**_: Any) -> None:
    _serving["failed"] = True
    _build_ended()


def _build_ended() -> None:
    if _serving["building"]:
        _serving["building"] = False
        _docs.release()


def on_serve(server: Any, config: Any, **_: Any) -> Any:
    root = _root(config)
    DataWatcher(root / "data", lambda: _generate(root)).start()
    return server


def on_nav(nav: Any, **_: Any) -> Any:
    _sections.clear()
    _sections.update({page.file.src_uri: page for page in nav.pages})
    return nav


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    text, blocks = rawhtml.take(markdown)
    _lifted[page.file.src_uri] = blocks
    return text


def on_page_content(html: str, page: Any, **_: Any) -> str:
    return rawhtml.restore(html, _lifted.pop(page.file.src_uri, []))


def on_page_context(context: Any, page: Any, **_: Any) -> Any:
    section = _sections.get(page.meta.get("section", ""))
    if section is not None and section is not page:
        section.active = True  # MkDocs sets the page's own, and resets it after rendering
    return context


def on_post_page(output: str, page: Any, **_: Any) -> str:
    section = _sections.get(page.meta.get("section", ""))
    if section is not None and section is not page:
        section.active = False
    return output


def _root(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent


class _Generating:
    """The one `generate` this server runs at a time. When the server ends (Ctrl-C),
    a generate still running is interrupted and waited for, and none is started after:
    a watcher's timer firing during shutdown would otherwise leave an orphan that
    holds the project's lock after the server has gone."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: subprocess.Popen | None = None
        self._stopping = False

    def start(self, argv: list[str], root: Path) -> subprocess.Popen | None:
        with self._lock:
            if self._stopping:
                return None
            self._running = subprocess.Popen(argv, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            return self._running

    def done(self) -> None:
        with self._lock:
            self._running = None

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            running = self._running
        if running is not None and running.poll() is None:
            running.send_signal(signal.SIGINT)  # it undoes what it staged, then releases the lock
            try:
                running.wait(timeout=60)
            except subprocess.TimeoutExpired:
                running.kill()


_generating = _Generating()
atexit.register(_generating.stop)


def _generate(root: Path) -> None:
    """`python -m generator generate`, as a maintainer would run it; a failure (a bad
    topic file) is shown and the site keeps serving the pages it has."""
    command = ["generate", *shlex.split(os.environ.get("PAPER_DIGEST_GENERATE_ARGS", ""))]
    with _docs:  # not while a build reads docs/
        process = _generating.start([sys.executable, "-m", "generator", *command], root)
        if process is None:
            return
        log.info(f"Generating docs/ from data/: python -m generator {shlex.join(command)}")
        try:
            output, _ = process.communicate()
        finally:
            _generating.done()
    for line in output.strip().splitlines():
        (log.info if process.returncode == 0 else log.error)(line)
    if process.returncode == 0 and _serving["failed"]:
        _ask_for_a_build(root / "docs")


def _ask_for_a_build(docs: Path) -> None:
    """MkDocs builds again on any change in docs/: one, with nothing left behind."""
    log.info("The last build failed: building again")
    marker = docs / REBUILD
    marker.touch()
    marker.unlink(missing_ok=True)


class DataWatcher:
    """Calls `changed` once a burst of changes to data/ has settled (an editor's save is
    several events). The project's own lock and journal files (data/.lock, .journal/,
    temporary files: names starting with a dot) are not changes: `generate` writes
    the lock itself, and would otherwise wake the watcher forever."""

    SETTLE = 0.4  # seconds without an event before generating
    # Not "opened" or "closed": watchdog reports reads too, and `generate` reads data/.
    CHANGES = frozenset({"created", "modified", "deleted", "moved"})

    def __init__(self, data: Path, changed: Any):
        self.data, self.changed = data, changed
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        import watchdog.events  # MkDocs' own dependency, for `mkdocs serve`
        import watchdog.observers

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = self._event  # type: ignore[method-assign]
        observer = watchdog.observers.Observer()
        observer.daemon = True
        observer.schedule(handler, str(self.data), recursive=True)
        observer.start()
        log.info(f"Watching '{self.data}' for changes: docs/ is generated again after each")

    def _event(self, event: Any) -> None:
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        if event.is_directory or event.event_type not in self.CHANGES or not any(p and self._counts(Path(p)) for p in paths):
            return
        with self._lock:
            if self._timer:
                self._timer.cancel()
            self._timer = threading.Timer(self.SETTLE, self.changed)
            self._timer.daemon = True
            self._timer.start()

    def _counts(self, path: Path) -> bool:
        try:
            parts = path.relative_to(self.data).parts
        except ValueError:
            return False
        return not any(part.startswith(".") or part.endswith("~") for part in parts)
