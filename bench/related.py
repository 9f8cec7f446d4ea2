"""Related papers at 10,000 to 100,000 papers: the time and extra memory of computing
them for the whole archive from scratch, and of the daily update (a new day's papers
against the kept neighbours), with how many papers' lists that day changes (the
related files `generate` then writes again for them).

    .venv/bin/python bench/related.py --sizes 10000 30000 100000

The archive is bench/archive.py's synthetic one (ingested with the real command);
the computation runs in a process of its own, in the generator's own functions:
from scratch as `generate` does it (products shared between two forked processes),
and again in one process, whose extra memory is measured: its peak RSS during the
step above its RSS before it (the peak reset first: /proc/self/clear_refs); a forked
worker holds its own blocks' products on top of the pages it shares. Prints a
Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive import make_archive, new_project, run  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

MEASURE = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from generator.store import Store
from generator import related

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024

def measured(step):
    open("/proc/self/clear_refs", "w").write("5")  # reset the peak
    before = status("VmRSS")
    start = time.perf_counter()
    value = step()
    return value, time.perf_counter() - start, status("VmHWM") - before

state = Store(Path(sys.argv[1]) / "data").load()
papers, digests = state.papers, state.digests
from functools import partial
from generator.speed.related import _shared
whole, scratch_s, _ = measured(lambda: related.compute(papers, map_blocks=partial(_shared, workers=2)))
_, one_s, scratch_mb = measured(lambda: related.compute(papers))
last = max(p.first_date for p in papers.values())
new = {i for i, p in papers.items() if p.first_date == last}
model = related.fit(papers)
before = related.compute({i: p for i, p in papers.items() if i not in new}, model)
daily, daily_s, daily_mb = measured(lambda: related.update(before, papers, new, model))
daily_lists, before_lists = daily.scored(), before.scored()
changed = sum(1 for i in papers if i not in new and daily_lists.get(i) != before_lists.get(i))
print(json.dumps({"scratch s": scratch_s, "one process s": one_s, "scratch MB": scratch_mb, "daily s": daily_s, "daily MB": daily_mb,
                  "new": len(new), "changed": changed, "with related": len(whole.related()),
                  "same": daily.scored() == related.compute(papers, model).scored()}))
"""


def bench(size: int) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix=f"digest-related-{size}-"))
    try:
        files = make_archive(size, work / "inputs")
        project = new_project(work / "project", work / "inputs")
        run([sys.executable, "-m", "generator", "ingest", *map(str, files)], project)
        done = subprocess.run([sys.executable, "-c", MEASURE, str(project), str(REPO)], check=True, capture_output=True, text=True)
        return {"papers": size, **json.loads(done.stdout)}
    finally:
        shutil.rmtree(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    args = parser.parse_args()
    print(f"# CPython {platform.python_version()}, {os.cpu_count()} cores")
    print(
        "| papers | from scratch s | in one process s | extra peak MB | daily update s | new papers | lists changed "
        "| papers with related | update = scratch |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |")
    for size in args.sizes:
        r = bench(size)
        print(
            f"| {r['papers']:,} | {r['scratch s']:.1f} | {r['one process s']:.1f} | {r['scratch MB']:,.0f} | {r['daily s']:.2f} | {r['new']} | "
            f"{r['changed']} | {r['with related']:,} | {'yes' if r['same'] else 'NO'} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
