"""A crash at any write leaves the old state or the new one, and nothing is lost.

Each command that writes (ingest, fetch, rebuild, resolve, generate) is run once for every write it makes, crashing at the k-th
(`PAPER_DIGEST_CRASH_AT=k`: `os._exit`, as a kill -9 or a power cut, or a raised
interrupt, as a Ctrl-C): k = 1, 2, ... until a run no longer reaches k and ends on
its own. After each crash, `check` must pass and data/ and docs/, once the next
command has recovered them, must be byte for byte what they were before the command
or what a run without a crash makes. The runs are forked from this process (the
generator is imported once), so that every k of every command fits in the suite.

The matrix is written to tests/artifacts/fault-matrix.txt.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest
from conftest import (
    ABSTRACT,
    MINI,
    REPO,
    THOROUGH,
    TODAY,
    Project,
    Result,
    copy_site_sources,
    forked_command,
    free_port,
    ingest_mini,
    listing_text,
    make_project,
    trials,
)
from hfserver import FakeHub

from generator import atomic, cli
from generator import related as _related  # noqa: F401  here, once: not in every forked command that needs SciPy

ARTIFACTS = REPO / "tests" / "artifacts"
LOCKS = {".lock", ".commit-lock"}
INTERRUPTED = "interrupted: data/ and docs/ hold what they held before this command, or all of its changes; never a part"


def forked(root: Path, argv: list[str], crash: str | None = None, today: str = TODAY, count_writes: Path | None = None) -> int:
    """The exit code of `python -m generator ARGV` run in a fork of this process; with
    `count_writes`, the number of write points it passed is written there."""
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 70
        try:
            os.chdir(root)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            os.environ["PAPER_DIGEST_TODAY"] = today
            os.environ.pop(atomic.CRASH_VARIABLE, None)
            if crash:
                os.environ[atomic.CRASH_VARIABLE] = crash
            atomic._written = 0
            code = cli.main(argv)
            if count_writes:
                count_writes.write_text(str(atomic._written))
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def state(root: Path) -> dict[str, bytes]:
    """data/ and docs/ as a user sees them: without the locks and a pending journal."""
    found = {}
    for tree in ("data", "docs"):
        for path in sorted((root / tree).rglob("*")):
            rel = path.relative_to(root / tree)
            if path.is_file() and rel.parts[0] != atomic.JOURNAL and rel.as_posix() not in LOCKS:
                found[f"{tree}/{rel.as_posix()}"] = path.read_bytes()
    if "data/manifest.json" in found:  # the times of a fetch are the clock's: not compared
        found["data/manifest.json"] = FETCH_TIME.sub(rb'"\1": "(a time)"', found["data/manifest.json"])
    return found


FETCH_TIME = re.compile(rb'"(fetched_at|checked_at)": "[^"]*"')


def leftovers(root: Path) -> list[str]:
    """Journals and temporary files: what an interrupted command left."""
    found = [p for tree in ("data", "docs") for p in (root / tree).glob(atomic.JOURNAL)]
    found += [p for tree in ("data", "docs", ".cache") for p in (root / tree).rglob(".*.tmp")]
    return sorted(p.relative_to(root).as_posix() for p in found)


# ---- the commands, each from a project where it has something to write ------------------


def _base(root: Path) -> Project:
    """A project with one listing; its topics name no paper ids (so that check passes
    whatever else is stored)."""
    project = make_project(root, None)
    for name in ("diffusion.yml", "mixture-of-experts.yml"):
        shutil.copy(MINI.parent / "topics" / name, root / "data" / "topics" / name)
    assert forked(root, ["ingest", str(MINI / "2025-03-18.txt"), "--source", "test"]) == 0
    return project


def setup_ingest(root: Path, hub: FakeHub) -> list[str]:
    _base(root)
    return ["ingest", str(MINI / "2025-03-19.txt"), str(MINI / "2025-03-20-api.json"), "--source", "test"]


def setup_fetch(root: Path, hub: FakeHub) -> list[str]:
    _base(root)
    return ["fetch", "--base-url", hub.base_url, "--pause", "0", "--retries", "0", "--since", "2024-09-19", "--until", "2024-09-20"]


def setup_rebuild(root: Path, hub: FakeHub) -> list[str]:
    _base(root)
    shard = root / "data" / "papers" / "2025-03.json"
    shard.write_text(shard.read_text().replace("We study", "(a stale parse) We study"))
    return ["rebuild"]


def setup_generate(root: Path, hub: FakeHub) -> list[str]:
    _base(root)
    assert forked(root, ["generate", "--jobs", "1"]) == 0
    assert forked(root, ["ingest", str(MINI / "2025-03-19.txt"), "--source", "test"]) == 0
    return ["generate", "--jobs", "1"]


def setup_resolve(root: Path, hub: FakeHub) -> list[str]:
    """A paper the hub's recorded search answer has, known here by its title only."""
    _base(root)
    listing = root / "ddpm.txt"
    listing.write_text(listing_text(("Denoising Diffusion Probabilistic Models", ABSTRACT), date_line=None))
    assert forked(root, ["ingest", str(listing), "--date", "2025-03-19"]) == 0
    return ["resolve", "--base-url", hub.base_url, "--arxiv-url", hub.base_url, "--pause", "0", "--arxiv-pause", "0"]


SETUPS = {"ingest": setup_ingest, "fetch": setup_fetch, "rebuild": setup_rebuild, "resolve": setup_resolve, "generate": setup_generate}


@pytest.fixture(scope="module")
def hub():
    server = FakeHub().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def matrix():
    rows: list[str] = []
    yield rows
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "fault-matrix.txt").write_text("".join(f"{row}\n" for row in rows))


@pytest.mark.parametrize("how", ["kill", "interrupt"])
@pytest.mark.parametrize("command", list(SETUPS))
def test_a_crash_at_any_write_leaves_the_old_state_or_the_new(tmp_path, hub, matrix, command, how):
    """The thorough tier crashes at every write point; the everyday one at each phase of
    the transaction: the first writes (staging), the commit point, found by bisection
    (old before it, new from it on), the writes around it, and the last (applying,
    removing the journal)."""
    base = tmp_path / "base"
    argv = SETUPS[command](base, hub)
    old = state(base)
    clean = tmp_path / "clean"
    shutil.copytree(base, clean)
    assert forked(clean, argv, count_writes=tmp_path / "writes") == 0
    writes = int((tmp_path / "writes").read_text())
    new = state(clean)
    assert new != old  # the command has something to write
    outcomes: dict[int, str] = {}

    def crash_at(k: int) -> str:
        if k not in outcomes:
            outcomes[k] = _crash_once(tmp_path / f"{k}", base, argv, k, how, old, new)
        return outcomes[k]

    if THOROUGH:
        for k in range(1, writes + 1):
            crash_at(k)
    else:
        first, last = 1, writes
        assert crash_at(first) == "old" and crash_at(last) == "new"
        while last - first > 1:  # old at `first`, new at `last`
            middle = (first + last) // 2
            first, last = (middle, last) if crash_at(middle) == "old" else (first, middle)
        for k in {2, last - 1, last + 1, writes - 1}:
            crash_at(min(max(k, 1), writes))
    root = tmp_path / "past-the-last"
    shutil.copytree(base, root)
    assert forked(root, argv, f"{writes + 1}:interrupt" if how == "interrupt" else f"{writes + 1}") == 0  # ends on its own
    assert state(root) == new
    seen = [outcomes[k] for k in sorted(outcomes)]
    assert seen == sorted(seen, key=lambda o: o == "new")  # old until the commit, new after
    commit = min(k for k, o in outcomes.items() if o == "new")
    tried = "every one" if THOROUGH else f"{len(outcomes)} of them ({', '.join(map(str, sorted(outcomes)))})"
    matrix.append(
        f"{command:8} {how:9} {writes} write points, crash at {tried}: before {commit} -> old state, "
        f"from {commit} -> new state; check passes after every one"
    )


def _crash_once(root: Path, base: Path, argv: list[str], k: int, how: str, old: dict, new: dict) -> str:
    """Crash the command at its k-th write; which state data/ and docs/ are then in,
    once recovered as the next command would, after checking all that must hold."""
    shutil.copytree(base, root)
    code = forked(root, argv, f"{k}:interrupt" if how == "interrupt" else f"{k}")
    assert code == (130 if how == "interrupt" else atomic.CRASH_EXIT), f"write {k}: exit {code}"
    if how == "interrupt":
        assert leftovers(root) == []  # a Ctrl-C cleans up before the command exits
    assert forked(root, ["check"]) == 0, f"write {k}: check fails after the crash"
    for tree in ("data", "docs"):
        atomic.recover(root / tree)  # what the next command that writes does first
    after = state(root)
    assert after in (old, new), f"write {k}: a state that is neither the old nor the new"
    assert forked(root, argv) == 0
    assert state(root) == new, f"write {k}: running the command again does not give the new state"
    assert leftovers(root) == []
    shutil.rmtree(root)
    return "old" if after == old else "new"


def part(files: dict[str, bytes], prefix: str) -> dict[str, bytes]:
    return {rel: data for rel, data in files.items() if rel.startswith(prefix)}


# ---- real signals ---------------------------------------------------------------------------


def _spawn(root: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PAPER_DIGEST_TODAY": TODAY, "PYTHONPATH": str(REPO)}
    env.pop(atomic.CRASH_VARIABLE, None)
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *args], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_a_real_kill_during_ingest_and_generate(tmp_path, matrix, sig):
    """Real signals at times spread over a run of ingest then generate."""
    from conftest import SAMPLES

    base = tmp_path / "base"
    _base(base)
    assert forked(base, ["generate", "--jobs", "2"]) == 0
    argv = [["ingest", *map(str, SAMPLES)], ["generate", "--jobs", "2"]]
    clean = tmp_path / "clean"
    shutil.copytree(base, clean)
    took = []
    for args in argv:
        started = time.monotonic()
        assert _spawn(clean, *args).wait(timeout=120) == 0
        took.append(time.monotonic() - started)
    old, new = state(base), state(clean)
    seen: list[str] = []
    # Every day, one signal in the middle of each command; the thorough tier spreads 8 over the run.
    delays = [sum(took) * (k + 1) / 9 for k in range(8)] if THOROUGH else [took[0] / 2, took[0] + took[1] / 2]
    for trial, delay in enumerate(delays):
        root = tmp_path / f"{trial}"
        shutil.copytree(base, root)
        started = time.monotonic()
        for args in argv:
            process = _spawn(root, *args)
            try:
                process.wait(timeout=max(0.0, delay - (time.monotonic() - started)))
            except subprocess.TimeoutExpired:
                process.send_signal(sig)
                _, err = process.communicate(timeout=60)
                if sig == signal.SIGINT and process.returncode == 130:
                    assert err.strip().endswith((INTERRUPTED, "interrupted before the command began: nothing was changed")), err
                break
        assert forked(root, ["check"]) == 0
        for tree in ("data", "docs"):
            atomic.recover(root / tree)
        after = state(root)
        # Each tree is old or new; between the two commands, data/ is new and docs/ old.
        for tree in ("data/", "docs/"):
            assert part(after, tree) in (part(old, tree), part(new, tree)), f"trial {trial}: {tree} is half-written"
        seen.append("old" if after == old else "new" if after == new else "between")
        for args in argv:
            assert forked(root, args) == 0
        assert state(root) == new
        assert leftovers(root) == []
        shutil.rmtree(root)
    # Eight signals land at different points; of the everyday two, the one in the middle of
    # ingest may come after its commit on a loaded machine (most of a short ingest is Python
    # starting), and both then find "between": each outcome is checked all the same.
    assert len(set(seen)) >= 2 or not THOROUGH, seen
    counts = ", ".join(f"{seen.count(s)} {s}" for s in ("old", "between", "new") if s in seen)
    matrix.append(f"{signal.Signals(sig).name} during ingest then generate, {len(seen)} trials: {counts}; check passes after every one")


def _spawn_group(root: Path, *argv: str) -> subprocess.Popen:
    """A command in a process group of its own, as a terminal runs its foreground job:
    Ctrl-C there signals every process of the group, workers included."""
    env = {**os.environ, "PAPER_DIGEST_TODAY": TODAY, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    env.pop(atomic.CRASH_VARIABLE, None)
    return subprocess.Popen(
        [sys.executable, "-m", *argv],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _ctrl_c(process: subprocess.Popen, within: float = 30) -> str:
    """Ctrl-C to the process's group; its stderr once every process of the group has
    ended, which must be within `within` seconds."""
    os.killpg(process.pid, signal.SIGINT)
    return _ended(process, within)


def _ended(process: subprocess.Popen, within: float = 30) -> str:
    """The process's stderr once every process of its group has ended, which must be
    within `within` seconds."""
    try:
        _, err = process.communicate(timeout=within)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise AssertionError(f"still running {within:g} s after it was told to stop") from None
    deadline = time.monotonic() + within
    while _group_alive(process.pid):
        assert time.monotonic() < deadline, f"a process of the group is still running {within:g} s after it was told to stop"
        time.sleep(0.05)
    return err


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _lock_is_free(root: Path) -> bool:
    import fcntl

    fd = os.open(root / "data" / ".lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def _sample_project(root: Path) -> None:
    """The bundled sample data, docs/ not yet generated: a generate of a few seconds."""
    copy_site_sources(root)
    shutil.copytree(REPO / "data", root / "data", ignore=shutil.ignore_patterns(".lock", ".commit-lock", ".journal"))


def test_ctrl_c_to_the_process_group_during_generate_ends_it_and_frees_the_lock(tmp_path, matrix):
    """Workers of `generate --jobs 2` get the Ctrl-C too; a worker that died of it used to
    leave the parent waiting forever with data/.lock held (7 of 12 tries)."""
    base = tmp_path / "base"
    _sample_project(base)
    started = time.monotonic()
    clean = tmp_path / "clean"
    shutil.copytree(base, clean)
    assert _spawn_group(clean, "generator", "generate", "--jobs", "2").wait(timeout=300) == 0
    duration = time.monotonic() - started
    old, new = state(base), state(clean)
    count = trials(3, 20)
    outcomes = []
    for trial in range(count):
        root = tmp_path / f"{trial}"
        shutil.copytree(base, root)
        process = _spawn_group(root, "generator", "generate", "--jobs", "2")
        time.sleep(duration * (trial + 1) / (count + 1))
        err = _ctrl_c(process)
        # -SIGINT: a process that had said it was interrupted and was ended by the signal on its way out
        assert process.returncode in (0, 130, -signal.SIGINT), (process.returncode, err)
        if process.returncode != 0:
            assert err.strip().endswith((INTERRUPTED, "interrupted before the command began: nothing was changed")), err
        assert _lock_is_free(root)
        atomic.recover(root / "docs")
        assert part(state(root), "docs/") in (part(old, "docs/"), part(new, "docs/")), f"trial {trial}: docs/ is half-written"
        outcomes.append(process.returncode)
        shutil.rmtree(root)
    matrix.append(
        f"Ctrl-C to the process group of generate --jobs 2, {count} trials: {count - outcomes.count(0)} interrupted, "
        f"{outcomes.count(0)} finished first; every one ended within 30 s with the lock free and docs/ old or new"
    )


def test_ctrl_c_to_serve_leaves_no_generate_running(tmp_path, matrix):
    """Ctrl-C to `python -m generator serve` while it generates docs/ (at start, or after
    an edit of a topic file): the builder's server and every generate end, the lock
    free. So does a process manager's stop (SIGTERM to serve alone), once, started as
    a background job is (SIGINT ignored): the builder's server once outlived it by 30 s."""
    base = tmp_path / "base"
    _sample_project(base)
    count = trials(3, 20)
    for trial in range(count):
        root = tmp_path / f"{trial}"
        shutil.copytree(base, root)
        log = root / "serve.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{free_port()}"],
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1", "PAPER_DIGEST_TODAY": TODAY},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            # The last trial as from a background job, which starts with SIGINT ignored.
            preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if trial == count - 1 else None,
        )
        if trial % 2:  # during the generate an edit starts
            deadline = time.monotonic() + 120
            while "Serving on" not in log.read_text():
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
            topic = root / "data" / "topics" / "diffusion-models.yml"
            topic.write_text(topic.read_text() + "\n")
            time.sleep(0.5 + 2.5 * trial / count)  # past the watcher's settling, into the generate
        else:  # during the generate at start
            time.sleep(1.0 if trial == count - 1 else 1.0 + 4.0 * trial / count)
        if trial == count - 1:
            process.terminate()
            _ended(process, within=10)
        else:
            _ctrl_c(process)
        assert _lock_is_free(root), log.read_text()
        shutil.rmtree(root)
    matrix.append(f"Ctrl-C (or SIGTERM to it alone) to generator serve while it generates, {count} trials: no process left, the lock free")


# ---- one writer at a time ---------------------------------------------------------------------


def test_two_ingests_at_once_both_land(tmp_path, matrix):
    """Started together, the second waits for the first: both listings are stored."""
    outcomes = []
    for trial in range(trials(4, 20)):
        root = tmp_path / f"{trial}"
        _base(root)
        first = _spawn(root, "ingest", str(MINI / "2025-03-19.txt"), "--source", "one")
        second = _spawn(root, "ingest", str(MINI / "2025-03-20-api.json"), "--source", "two")
        codes = (first.wait(timeout=120), second.wait(timeout=120))
        assert codes == (0, 0), (first.stderr.read(), second.stderr.read())
        first.stderr.close()
        second.stderr.close()
        manifest = (root / "data" / "manifest.json").read_text()
        outcomes.append(manifest.count('"source": "one"') + manifest.count('"source": "two"'))
        assert forked(root, ["check"]) == 0
    assert outcomes == [2] * len(outcomes)
    matrix.append(f"two ingests started together, {len(outcomes)} trials: both listings stored every time; check passes every time")


def test_a_second_writer_waits_then_names_the_first(tmp_path):
    from generator import lock

    project = _base(tmp_path)
    before = state(tmp_path)
    with lock.writing(project.root, "python -m generator fetch --since 2025-01-01"):
        result = project.run("ingest", MINI / "2025-03-19.txt", "--wait", "0.3")
        reader = project.run("check")  # readers are not held up by a writer
    assert result.code == 1
    assert result.err.startswith(
        "data/.lock: another command is writing this project: 'python -m generator fetch --since 2025-01-01' "
        f"(process {os.getpid()}, since "
    )
    assert result.err.endswith(" UTC); waited 0.3 s. Run this again when it has finished, or pass --wait SECONDS to wait longer\n")
    assert reader.code == 0
    assert state(tmp_path) == before
    project.ok("ingest", MINI / "2025-03-19.txt")  # and once the first is done, it goes ahead


def test_a_reader_finishes_a_committed_change_and_leaves_an_uncommitted_one(tmp_path):
    """Writes of this ingest: 1-3 stage its raw file, shard and manifest, 4-5 write the
    commit record, 6-8 move the files in, 9 removes the journal."""
    argv = ["ingest", str(MINI / "2025-03-19.txt"), "--source", "test"]
    uncommitted, committed, clean = tmp_path / "uncommitted", tmp_path / "committed", tmp_path / "clean"
    for root in (uncommitted, committed, clean):
        _base(root)
    old = state(clean)
    assert forked(clean, argv) == 0
    assert forked(uncommitted, argv, "3") == atomic.CRASH_EXIT
    assert forked(committed, argv, "6") == atomic.CRASH_EXIT
    assert forked(uncommitted, ["check"]) == 0
    assert state(uncommitted) == old and (uncommitted / "data" / atomic.JOURNAL).is_dir()  # maybe a writer's work in progress
    assert forked(committed, ["check"]) == 0
    assert state(committed) == state(clean) and leftovers(committed) == []
    result = Project(uncommitted).ok(*argv)
    assert result.err.startswith("data/: removed the uncommitted files of an interrupted command (the change was not made)\n")
    assert state(uncommitted) == state(clean) and leftovers(uncommitted) == []


# ---- a tree that cannot be written ------------------------------------------------------------


def _read_only(project: Project, *folders: str) -> Callable[[], None]:
    """Make `folders` of the project read-only (chmod 555) for the commands run after;
    returns what a command's process runs first: for a test run as root, whom
    permissions do not stop, it drops root's capabilities (the files stay its own)."""
    for folder in folders:
        (project.root / folder).chmod(0o555)
    return _without_capabilities if os.geteuid() == 0 else (lambda: None)


def _without_capabilities() -> None:
    """capset(2) with every capability cleared: root then meets permissions as any user."""

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.capset(ctypes.byref(Header(0x20080522, 0)), (Data * 2)()) != 0:  # _LINUX_CAPABILITY_VERSION_3
        raise OSError(ctypes.get_errno(), "capset failed")


def _as(project: Project, before: Callable[[], None], *argv: str) -> Result:
    return forked_command(project.root, list(argv), {"PAPER_DIGEST_TODAY": TODAY}, before=before)


def test_a_change_a_read_only_folder_would_stop_halfway_is_refused_before_its_commit(tmp_path):
    """A read-only data/papers let ingest commit and then fail applying: the manifest
    new, the papers old, check finding errors and export reading it. A read-only
    docs/topics gave a half-written docs/. Every folder a change writes is now tried
    before the commit point; the tree stays as it was, and says where."""
    project = make_project(tmp_path / "p", MINI.parent / "topics")
    ingest_mini(project)
    project.ok("generate")
    listing = tmp_path / "2025-03-21.txt"
    listing.write_text(
        listing_text(("Agents of the twenty-first", f"Agents of the twenty-first. {ABSTRACT}"), date_line=None, chrome=False)
    )
    data, docs = project.snapshot("data"), project.snapshot("docs")
    limited = _read_only(project, "data/papers", "docs/topics")

    refused = _as(project, limited, "ingest", str(listing), "--date", "2025-03-21", "--source", "test")
    assert refused.code == 1
    assert refused.err.endswith("\ndata/papers: permission denied; this command needs to write there (is the folder read-only?)\n")
    assert project.snapshot("data") == data and not (project.data / ".journal").exists()
    assert _as(project, limited, "check").code == 0

    (project.root / "data" / "papers").chmod(0o755)
    assert _as(project, limited, "ingest", str(listing), "--date", "2025-03-21", "--source", "test").code == 0
    refused = _as(project, limited, "generate")
    assert refused.code == 1
    assert refused.err.endswith("\ndocs/topics: permission denied; this command needs to write there (is the folder read-only?)\n")
    assert project.snapshot("docs") == docs and not (project.docs / ".journal").exists()
    (project.root / "docs" / "topics").chmod(0o755)
    assert _as(project, limited, "generate").code == 0


def test_a_store_with_a_change_it_cannot_finish_is_never_read(tmp_path):
    """A change committed in data/ whose files cannot be moved in (a crash, then the
    folder made read-only) is neither the old store nor the new: export read it and
    exited 0. A reader now finishes it, or refuses, saying what to do."""
    project = make_project(tmp_path / "p", MINI.parent / "topics")
    ingest_mini(project)
    journal = project.data / ".journal"
    (journal / "files" / "papers").mkdir(parents=True)
    (journal / "files" / "papers" / "2025-03.json").write_bytes((project.data / "papers" / "2025-03.json").read_bytes())
    (journal / "commit").write_text("write\tpapers/2025-03.json\n")
    limited = _read_only(project, "data/papers")
    refused = _as(project, limited, "export")
    assert refused.code == 1 and refused.out == ""
    assert refused.err == (
        "data/.journal: a change was committed here and could not be finished (Permission denied); nothing was read. "
        "Make the folder writable again: the next command that reads or writes it finishes the change\n"
    )
    (project.root / "data" / "papers").chmod(0o755)
    assert _as(project, limited, "export").code == 0
    assert not journal.exists()
