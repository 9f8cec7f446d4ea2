"""What building the search index costs inside `generate`: seconds and memory.

    .venv/bin/python bench/index_build.py PROJECT

Loads PROJECT's store and topics (not measured), tags the papers, then makes every
file of the search index from nothing, as `generate` does in the index's own process
(render/pages/: search_pages, filter_pages; the related files are issue 17's and
not counted): the seconds, the peak memory the making added (resident set, as the
process's own peak grew), and the index's bytes. Prints one line of JSON; bench/archive.py
runs it on each archive.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.commands import Project, load_valid_topics  # noqa: E402
from generator.commands.generate import load_checked  # noqa: E402
from generator.render.model import tagged_model  # noqa: E402
from generator.render.pages import filter_pages, search_pages  # noqa: E402
from generator.speed import Build  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    gc.disable()  # as generate runs (commands/generate.py: _no_cycle_collector)
    project = Project(Path(sys.argv[1]))
    build = Build(project.root, project.docs, 1, fast=False)
    topics = load_valid_topics(project.store, lambda message: None)
    loaded = load_checked(build.load(project.store), topics)
    tagging = build.tag(topics, loaded.papers, loaded.state.listings, loaded.resolve, loaded.digests, keep=False)
    model = tagged_model(loaded.papers, loaded.state.listings, topics, tagging, loaded.state.fetches)
    before = peak_mb()
    start = time.perf_counter()
    files = size = 0
    for page in [*search_pages(loaded.papers, topics), *filter_pages(model.tagged, [(t.slug, t.name) for t in topics])]:
        for _, data in page.make(page.inputs):
            files += 1
            size += len(data)
    seconds = time.perf_counter() - start
    print(json.dumps({"index s": round(seconds, 2), "index MB": round(peak_mb() - before, 1), "files": files, "bytes": size}))


if __name__ == "__main__":
    main()
