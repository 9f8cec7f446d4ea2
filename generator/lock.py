"""One writer at a time, and readers that never see a change half made.

Two locks, both `flock` locks on files in data/ (the kernel drops them when their
process ends, however it ends, so a crashed command never leaves a stale lock):

- `data/.lock`, held for the whole of every command that writes data/ or docs/.
  A second writer waits up to `wait` seconds, then stops with a message naming the
  command that holds it (which the holder writes into the file).
- `data/.commit-lock`, held for a moment: exclusively while a writer makes a
  committed change current (atomic.py), shared by a reader (`check`, `export`)
  while it reads the store. A reader never waits for a whole writer, only for a
  commit; a writer's commit waits at most for one read.
"""

from __future__ import annotations

import errno
import fcntl
import os
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from .atomic import finish_committed, has_committed_journal, recover, remove_temporary_files
from .errors import DigestError

WRITER_LOCK = ".lock"
COMMIT_LOCK = ".commit-lock"
DEFAULT_WAIT = 60.0
_POLL = 0.1


@contextmanager
def writing(root: Path, command: str, wait: float = DEFAULT_WAIT, say=None) -> Iterator[None]:
    """Hold the project's writer lock for the block, after finishing or undoing what an
    interrupted command left in data/ and docs/ (said through `say`)."""
    data = root / "data"
    fd = _open(data / WRITER_LOCK, create=True)
    try:
        if fd is not None:
            _acquire(fd, fcntl.LOCK_EX, wait, lambda: _holder(fd))
            _say_holder(fd, command)
        for tree, note in _recovered(root):
            if say:
                say(f"{tree.name}/: {note}")
        try:
            yield
        except BaseException:
            _recovered(root)  # a change this command staged but did not commit is undone now
            raise
    finally:
        if fd is not None:
            os.close(fd)  # releases the lock


def _recovered(root: Path) -> list[tuple[Path, str]]:
    """Finish or undo what a command left in data/ and docs/, and remove the temporary
    files of writes cut short; what was done, by tree."""
    data = root / "data"
    with committing(data):
        notes = [(tree, recover(tree)) for tree in (data, root / "docs")]
    for stale in (data, data / "papers", root / ".cache", root / ".cache" / "related"):
        remove_temporary_files(stale)
    return [(tree, note) for tree, note in notes if note]


@contextmanager
def committing(data: Path) -> Iterator[None]:
    """Hold the commit lock exclusively: readers are not reading data/ meanwhile."""
    fd = _open(data / COMMIT_LOCK, create=True)
    try:
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        if fd is not None:
            os.close(fd)


@contextmanager
def reading(data: Path) -> Iterator[None]:
    """Hold the commit lock shared while reading the store: no change is made current
    meanwhile. A change a crashed writer committed is finished first, so what is read
    is a state some command meant to leave."""
    fd = _open(data / COMMIT_LOCK, create=False)
    if fd is None:  # no lock file, and none can be made: nobody can write here either
        if has_committed_journal(data):
            raise _unfinished(data, PermissionError(errno.EACCES, "the folder is read-only"))
        yield
        return
    try:
        while True:
            fcntl.flock(fd, fcntl.LOCK_SH)
            if not has_committed_journal(data):
                break
            fcntl.flock(fd, fcntl.LOCK_UN)
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                finish_committed(data)
            except OSError as err:
                raise _unfinished(data, err) from None
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        yield
    finally:
        os.close(fd)


def _unfinished(data: Path, err: OSError) -> DigestError:
    """A store with a change committed and not finished is neither its old state nor
    its new one: never read as either."""
    return DigestError.at(
        f"{data.name}/.journal",
        f"a change was committed here and could not be finished ({err.strerror or err}); nothing was read. "
        "Make the folder writable again: the next command that reads or writes it finishes the change",
    )


def _open(path: Path, create: bool) -> int | None:
    """A descriptor to lock `path` by; None where data/ is read-only and has none."""
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        return os.open(path, os.O_RDWR)
    except FileNotFoundError:
        if create:
            raise
    except OSError as err:
        if err.errno not in (errno.EACCES, errno.EROFS, errno.EPERM):
            raise
    try:
        return os.open(path, os.O_RDONLY)  # flock works on a descriptor opened for reading
    except OSError:
        return None


def _acquire(fd: int, how: int, wait: float, holder) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, how | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise DigestError.at(
                    "data/.lock",
                    f"another command is writing this project: {holder()}; waited {wait:g} s. "
                    "Run this again when it has finished, or pass --wait SECONDS to wait longer",
                ) from None
            time.sleep(_POLL)


def _say_holder(fd: int, command: str) -> None:
    """Write who holds the lock into the lock file, for a waiting command's message."""
    since = datetime.now(timezone.utc).strftime("%H:%M:%S UTC")
    line = f"'{command}' (process {os.getpid()}, since {since})\n".encode("utf-8", "replace")
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, line, 0)
    except OSError:
        pass  # a read-only lock file still locks


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "a command that has not said which"


def command_line(argv: list[str] | None = None) -> str:
    """The command as a user would recognise it in a message."""
    words = sys.argv[1:] if argv is None else argv
    return " ".join(["python -m generator", *words])[:300]
