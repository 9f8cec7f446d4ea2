"""Peak memory of a command and every process it starts, for the benchmarks.

`generate` forks worker processes, so the peak resident size of one process (what
`/usr/bin/time` reports) understates what the machine needs. This samples the
proportional set size (PSS: shared pages split between the processes sharing them)
of every process in the command's session, and keeps the largest sum seen.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

INTERVAL = 0.5  # reading smaps of a large process is not free: sampling often slowed the command by a third


def _session_pids(session: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session:  # after "pid (comm)": state ppid pgrp session
                pids.append(int(entry))
    return pids


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Seconds, peak MB (PSS summed over the command's processes), and the finished process."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], sum(_pss_kb(pid) for pid in _session_pids(proc.pid)))
            done.wait(INTERVAL)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    return elapsed, peak[0] / 1024, subprocess.CompletedProcess(command, proc.returncode, out, err)
