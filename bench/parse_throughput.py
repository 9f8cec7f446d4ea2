"""Parse throughput of the sources, in papers per second.

    .venv/bin/python bench/parse_throughput.py [--seconds 3]

Parses the recorded Hugging Face fixtures (an HTML day page, an API month file,
the card fallback of the same page, and a saved text dump) over and over for a few
seconds each and prints one table. Numbers, not assertions: run it before and
after a change to a source.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.sources import parse  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def inputs() -> dict[str, bytes]:
    page = (FIXTURES / "hf" / "daily_page_2024-08-01.html").read_bytes()
    return {
        "HTML day page (hydration JSON)": page,
        "HTML day page (cards only)": page.replace(b'data-target="DailyPapers"', b'data-target="X"').replace(b"data-props=", b"data-x="),
        "API JSON (month file)": (FIXTURES / "hf" / "api_daily_papers_month_2024-09.json").read_bytes(),
        "text dump": (FIXTURES / "listings" / "002_716546b6796ec1ae.txt").read_bytes(),
    }


def measure(data: bytes, seconds: float) -> tuple[int, int, float]:
    papers = len(parse(data, "bench").entries)
    runs, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        parse(data, "bench")
        runs += 1
    elapsed = time.perf_counter() - start
    return papers, runs, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time spent on each input (default 3)")
    args = parser.parse_args()
    print(f"# {platform.python_implementation()} {platform.python_version()} on {platform.machine()}, {platform.node() or 'unknown host'}")
    print("| input | KB | papers | parses | ms/parse | papers/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, data in inputs().items():
        papers, runs, elapsed = measure(data, args.seconds)
        per = elapsed / runs
        print(f"| {name} | {len(data) / 1024:,.0f} | {papers} | {runs} | {per * 1000:,.2f} | {papers / per:,.0f} |")


if __name__ == "__main__":
    main()
