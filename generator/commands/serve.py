"""`serve`: the site at http://127.0.0.1:8000 while you work on it.

docs/ is generated from data/ first, then the builder's own server (`mkdocs serve`,
or ProperDocs' or Zensical's) serves it, rebuilding and reloading the browser when
docs/ changes. This command watches data/: after a change there has settled (an
edited topic file, an ingested listing), it runs `generate`, which rewrites the
pages that changed, and the builder takes it from there. A generate that fails (a
bad topic file) says why and changes nothing, so the server keeps the last good
pages; the next good save is picked up.

No builder hook is involved, so every builder serves the same way. A build may
start while a generate is moving its files into docs/; it is followed by another,
as every builder builds again after a change made during a build, and that one
sees the whole change.

Ctrl-C ends the server and a generate under way (which undoes what it staged and
frees the project's lock); none is started after.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable

from ..builders import BUILDERS, DEFAULT
from ..errors import DigestError
from ..speed.writer import GENERATED_LIST
from . import Project, options

DEFAULT_ADDRESS = "127.0.0.1:8000"


def say(message: str, level: str = "INFO") -> None:
    """A line in the builder's own format, so that the two read as one log."""
    print(f"{level:<7} -  {message}", flush=True)


class Generating:
    """The one `generate` this server runs at a time. Once the server is stopping,
    a generate under way is interrupted and waited for, and none is started: a
    watcher's timer firing during shutdown would otherwise leave an orphan holding
    the project's lock after the server has gone."""

    def __init__(self, root: Path, arguments: list[str]):
        self.root, self.arguments = root, arguments
        self._turn = threading.Lock()  # one generate at a time
        self._state = threading.Lock()  # for _running and _stopping
        self._running: subprocess.Popen | None = None
        self._stopping = False

    def run(self) -> bool:
        """`python -m generator generate`, as a maintainer would run it; its output
        said; whether it succeeded."""
        command = ["generate", *self.arguments]
        with self._turn:
            with self._state:
                if self._stopping:
                    return False
                say(f"Generating docs/ from data/: python -m generator {shlex.join(command)}")
                process = self._running = subprocess.Popen(
                    [sys.executable, "-m", "generator", *command],
                    cwd=self.root,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            try:
                output, _ = process.communicate()
            finally:
                with self._state:
                    self._running = None
        for line in output.strip().splitlines():
            say(line, "INFO" if process.returncode == 0 else "ERROR")
        if process.returncode not in (0, -signal.SIGINT, 130):
            say("docs/ is unchanged: the server keeps the last good pages until the next change to data/", "WARNING")
        return process.returncode == 0

    def stop(self) -> None:
        with self._state:
            self._stopping = True
            running = self._running
        if running is not None:
            _stop(running, signal.SIGINT, within=60)  # it undoes what it staged, then releases the lock


class DataWatcher:
    """Calls `changed` once a burst of changes to data/ has settled (an editor's save is
    several events). The project's own lock and journal files (data/.lock, .journal/,
    temporary files: names starting with a dot) are not changes: `generate` writes
    the lock itself, and would otherwise wake the watcher forever."""

    SETTLE = 0.4  # seconds without an event before generating
    # Not "opened" or "closed": watchdog reports reads too, and `generate` reads data/.
    CHANGES = frozenset({"created", "modified", "deleted", "moved"})

    def __init__(self, data: Path, changed: Callable[[], object]):
        self.data, self.changed = data, changed
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._observer = None

    def start(self) -> None:
        import watchdog.events
        import watchdog.observers

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = self._event  # type: ignore[method-assign]
        self._observer = watchdog.observers.Observer()
        self._observer.daemon = True
        self._observer.schedule(handler, str(self.data), recursive=True)
        self._observer.start()
        say(f"Watching '{self.data}' for changes: docs/ is generated again after each")

    def stop(self) -> None:
        with self._lock:
            if self._timer:
                self._timer.cancel()
        if self._observer is not None:
            self._observer.stop()

    def _event(self, event) -> None:
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


def serve(project: Project, builder: str, address: str, recent: int | None) -> int:
    """Generate, then serve with `builder` until it ends or Ctrl-C; its exit code."""
    generating = Generating(project.root, ["--recent", str(recent)] if recent else [])
    watcher = DataWatcher(project.root / "data", generating.run)
    server: subprocess.Popen | None = None
    # A `kill` (a process manager stopping the server) ends it as Ctrl-C does: with the
    # builder's server and any generate, not leaving them orphaned.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        if not generating.run() and not (project.docs / GENERATED_LIST).is_file():
            raise DigestError.at(project.docs, "holds no generated pages to serve: fix what generate said above, then serve again")
        # A preview of the last days is a part of the site: the builder need not make the rest.
        server = subprocess.Popen(BUILDERS[builder].serve(address, dirty=bool(recent)), cwd=project.root)
        watcher.start()
        return server.wait()
    except KeyboardInterrupt:  # Ctrl-C: the terminal sent it to the server and a generate too
        return 0
    finally:
        watcher.stop()
        generating.stop()
        if server is not None:
            # SIGTERM, not SIGINT, which a server started from a background job ignores
            # (it inherits SIGINT ignored); it holds nothing to undo.
            _stop(server, signal.SIGTERM, within=30)


def _stop(process: subprocess.Popen, how: signal.Signals, within: float) -> None:
    """Send `how` to a process still running, wait `within` seconds for it, then kill it."""
    if process.poll() is None:
        process.send_signal(how)
    try:
        process.wait(timeout=within)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# The command line: `python -m generator serve`.


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--builder", choices=sorted(BUILDERS), default=DEFAULT, help=f"the site builder whose server serves docs/ (default: {DEFAULT})"
    )
    parser.add_argument(
        "--dev-addr", "-a", metavar="IP:PORT", default=DEFAULT_ADDRESS, help=f"the address to serve at (default: {DEFAULT_ADDRESS})"
    )
    parser.add_argument(
        "--recent",
        type=options.positive,
        metavar="DAYS",
        default=None,
        help="only the last DAYS days with papers: a quick preview of a large archive (generate --recent DAYS)",
    )


def _run(args: argparse.Namespace, project: Project) -> int:
    return serve(project, args.builder, args.dev_addr, args.recent)


COMMAND = options.Command(
    "serve",
    summary="serve the site locally, generating docs/ again after each change to data/",
    description="Generate docs/ from data/, then serve the site with the builder's own server (mkdocs serve by default), "
    "which rebuilds and reloads the browser when docs/ changes. data/ is watched: after each change there (an edited "
    "topic file, an ingested listing) generate runs again. A generate that fails says why and changes nothing: the "
    "server keeps the last good pages. Ctrl-C stops the server and a generate under way.",
    arguments=_arguments,
    run=_run,
)
