"""Speed: how `generate` and `build` make the site fast, beside what the site is (render/).
`check` asks it too, for the phrase matches generate kept (Build.tag, keeping none).

    builder.py      Build: the one object the generate command asks, at each step
    keys.py         digests of pages' inputs and of the generator's code
    writer.py       the docs/ writer: keeps unchanged pages, shares the rest between processes
    shards.py       what is known of the store's files from the last run (the fingerprint)
    papers_json.py  the papers files' unchanged lines reused
    related.py      the last run's vectors and related papers, for the daily update
    site.py         the build of site/: only the changed pages when site/ is the last build
    cache.py        .cache/: what one run keeps for the next; never an input
    parallel.py     forked processes

This is the only place that knows a previous run existed. `Build(..., fast=False)`
(`generate --from-scratch`) switches all of it off: no key, no cache, one process;
the files written are the same. So does `build --clean` for the site.
"""

from .builder import Build

__all__ = ["Build"]
