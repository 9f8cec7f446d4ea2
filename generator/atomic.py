"""All-or-nothing writes: the only code that changes files in data/, docs/ and .cache/.

A change to a tree (data/ or docs/) is a transaction, made the way git and SQLite
make theirs:

1. *Stage*: every new file is written under `TREE/.journal/files/`, mirroring its
   place in the tree; nothing in the tree itself changes.
2. *Commit*: one small file, `TREE/.journal/commit`, is written to a temporary name
   and renamed into place. It lists the files to move in and the files to delete.
   That rename is the commit point: before it the change does not exist, after it
   the change is decided.
3. *Apply*: each staged file is renamed over its target and each deleted file
   removed; then the journal is removed.

`recover` finishes or undoes what an interrupted command left: a journal with a
commit record is applied again (every step can be repeated), a journal without one
is deleted. So a crash at any point leaves the tree as it was or as the command
meant it to be, and the next command that writes the tree makes that so.

Every change to a file passes through `_write_point`, which is how the
fault-injection test crashes a command at its k-th write (`PAPER_DIGEST_CRASH_AT`).
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

JOURNAL = ".journal"
COMMIT = "commit"
STAGED = "files"
CRASH_VARIABLE = "PAPER_DIGEST_CRASH_AT"  # "K" or "K:interrupt": for the fault-injection test only
CRASH_EXIT = 86
_written = 0  # write points passed in this process


class InjectedInterrupt(KeyboardInterrupt):
    """The interrupt `PAPER_DIGEST_CRASH_AT=K:interrupt` raises at the K-th write, as a Ctrl-C would."""


def _write_point() -> None:
    """Count one change to the file system; crash at the one the environment names.

    `os._exit` ends the process on the spot, as a kill -9 or a power cut would: no
    `finally`, no cleanup. The interrupt variant raises as a Ctrl-C would."""
    global _written
    _written += 1
    wanted = os.environ.get(CRASH_VARIABLE)
    if not wanted:
        return
    number, _, how = wanted.partition(":")
    if number.isdigit() and int(number) == _written:
        if how == "interrupt":
            raise InjectedInterrupt()
        os._exit(CRASH_EXIT)


# ---- single files (the cache, exported files) ---------------------------------------


def write_if_changed(path: Path, data: bytes, sync: bool = True) -> bool:
    """Write `data` to `path` atomically unless the file already holds exactly that.

    Returns whether the file was written. Skipping identical content is what makes a
    run with nothing new write nothing (and keeps `mkdocs serve` from rebuilding).
    """
    if _holds(path, data):
        return False
    write_atomic(path, data, sync)
    return True


def write_atomic(path: Path, data: bytes, sync: bool = True) -> None:
    """Write through a temporary file in the same folder and rename it into place,
    so a reader (or a crash) never sees a half-written file. Without `sync` the data
    is not forced to disk before the rename: for files whose loss costs only time,
    such as the cache's."""
    write_atomic_with(path, lambda handle: handle.write(data), sync)


def write_atomic_with(path: Path, writer: Callable[[BinaryIO], object], sync: bool = True) -> None:
    """write_atomic of what `writer` writes to the open temporary file: for a large
    file made by a library that writes to files (numpy), without a copy in memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_point()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            writer(handle)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        _write_point()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_temporary_files(folder: Path) -> None:
    """Delete the temporary files a killed write_atomic left in `folder` (not below).
    Only for a folder no other process writes: the caller holds the project's lock."""
    for path in folder.glob(".*.tmp") if folder.is_dir() else ():
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only folder: the file is harmless where it is


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError):
        return False


# ---- transactions over a tree -----------------------------------------------------------


@dataclass
class Staging:
    """The files of one transaction on `tree`, staged but not yet part of it.

    `stage` may be called from forked processes (the docs/ writer's workers): each
    writes its own files, and the caller commits the paths they report."""

    tree: Path
    sync: bool = True  # force staged files to disk before the commit (data/: yes)
    written: list[str] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return self.tree / JOURNAL / STAGED

    def stage(self, rel: str, data: bytes) -> bool:
        """Stage `data` as the new content of `rel`, unless the tree already holds
        exactly that; returns whether it was staged."""
        _check_relative(rel)
        if _holds(self.tree / rel, data):
            return False
        target = self.folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_point()
        with open(target, "wb") as handle:
            handle.write(data)
            if self.sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(target, 0o644)
        self.written.append(rel)
        return True

    def commit(self, written: Iterable[str] = (), deleted: Iterable[str] = ()) -> None:
        """Make the staged files (those staged here and `written`, staged elsewhere)
        part of the tree and delete `deleted`, all at once; then clear the journal."""
        written = sorted({*self.written, *written})
        deleted = sorted(set(deleted) - set(written))
        if not written and not deleted:
            self.abandon()
            return
        for rel in deleted:
            _check_relative(rel)
        try:
            _check_writable(self.tree, [*written, *deleted])
        except OSError:
            self.abandon()  # refused before the commit point: the tree is as it was
            raise
        record = "".join(f"write\t{rel}\n" for rel in written) + "".join(f"delete\t{rel}\n" for rel in deleted)
        with _signals_held():  # a Ctrl-C during the commit and apply lands after them
            write_atomic(self.tree / JOURNAL / COMMIT, record.encode("utf-8"), sync=self.sync)
            if self.sync:
                _sync_folder(self.tree / JOURNAL)
            _apply(self.tree, sync=self.sync)
        self.written = []

    def abandon(self) -> None:
        """Forget what was staged: the tree stays as it was."""
        _remove_journal(self.tree)
        self.written = []


def _check_writable(tree: Path, paths: Iterable[str]) -> None:
    """Raise the OSError that applying a change to `paths` would meet halfway: a folder
    it moves files into or deletes them from that cannot be written (read-only, a file
    where a folder should be), or a folder where a file should be. Tried before the
    commit point, by writing in each folder (permissions alone would not tell: root
    passes them, a read-only mount does not), so such a change is never begun."""
    folders: set[Path] = set()
    for rel in paths:
        target = tree / rel
        if target.is_dir() and not target.is_symlink():
            raise IsADirectoryError(errno.EISDIR, "a folder is where this file goes", str(target))
        folders.add(target.parent)
    for folder in sorted(folders):
        existing = folder
        while not existing.exists() and existing != tree:
            existing = existing.parent  # made by the change: its nearest existing folder is written
        probe = existing / f".write-check-{os.getpid()}.tmp"
        try:
            os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            os.unlink(probe)
        except OSError as err:
            raise type(err)(err.errno, err.strerror, str(existing)) from None  # the folder is what to fix


def recover(tree: Path) -> str | None:
    """Finish or undo a transaction an interrupted command left on `tree`; says which.

    Only for the holder of the project's lock: an uncommitted journal may be another
    writer's work in progress otherwise."""
    if not (tree / JOURNAL).exists():
        return None
    if has_committed_journal(tree):
        _apply(tree, sync=True)
        return "finished the change an interrupted command had committed"
    _remove_journal(tree)
    return "removed the uncommitted files of an interrupted command (the change was not made)"


def has_committed_journal(tree: Path) -> bool:
    return (tree / JOURNAL / COMMIT).is_file()


def finish_committed(tree: Path) -> None:
    """Apply a committed journal (any process may: every step can be repeated); an
    uncommitted one is left to its writer."""
    if has_committed_journal(tree):
        _apply(tree, sync=True)


def _apply(tree: Path, sync: bool) -> None:
    """Carry out the commit record of `tree`'s journal, then remove the journal. Every
    step can be repeated, so a crash here is finished by `recover`."""
    journal = tree / JOURNAL
    lines = (journal / COMMIT).read_text(encoding="utf-8").splitlines()
    touched: set[Path] = set()
    emptied: set[Path] = set()
    for line in lines:
        action, _, rel = line.partition("\t")
        _check_relative(rel)
        target = tree / rel
        if action == "write":
            staged = journal / STAGED / rel
            if staged.exists():  # else moved in before a crash
                target.parent.mkdir(parents=True, exist_ok=True)
                _write_point()
                os.replace(staged, target)
            touched.add(target.parent)
        elif action == "delete" and (target.exists() or target.is_symlink()):
            _write_point()
            target.unlink()
            emptied.add(target.parent)
            touched.add(target.parent)
    if sync:
        for folder in touched:
            if folder.is_dir():
                _sync_folder(folder)
    _remove_emptied_folders(emptied, tree)
    _remove_journal(tree)


def _remove_journal(tree: Path) -> None:
    """The commit record goes first: a journal without one is only staged files."""
    journal = tree / JOURNAL
    if not (journal.exists() or journal.is_symlink()):
        return
    _write_point()
    if not journal.is_dir() or journal.is_symlink():  # not one of ours: nothing to undo in it
        journal.unlink()
        return
    (journal / COMMIT).unlink(missing_ok=True)
    shutil.rmtree(journal, ignore_errors=True)


def _remove_emptied_folders(folders: set[Path], tree: Path) -> None:
    """Remove those of `folders` that deletions left empty, and their parents up to the
    tree, deepest first."""
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        while folder != tree and folder.is_dir():
            try:
                folder.rmdir()
            except OSError:
                break  # not empty
            folder = folder.parent


def _check_relative(rel: str) -> None:
    """A journal is never trusted to point outside its tree, or into the journal."""
    parts = Path(rel).parts
    if not rel or rel.startswith("/") or ".." in parts or parts[0] == JOURNAL:
        raise ValueError(f"not a path inside the tree: {rel!r}")


def _sync_folder(folder: Path) -> None:
    """Force a folder's entries (renames) to disk, where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def _signals_held() -> Iterator[None]:
    """A SIGINT or SIGTERM that comes during the block is acted on after it (only a
    kill -9 can cut a commit short, and `recover` finishes that). Handlers, not the
    signal mask: the mask is a thread's, and any thread may receive the signal."""
    received: list[int] = []
    held = (signal.SIGINT, signal.SIGTERM)
    try:
        previous = {number: signal.signal(number, lambda number, _: received.append(number)) for number in held}
    except ValueError:  # not the main thread: signals are not this thread's to handle
        yield
        return
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if received:
            signal.raise_signal(received[0])
