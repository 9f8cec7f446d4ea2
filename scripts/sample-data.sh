#!/usr/bin/env bash
# Make the bundled sample data in data/ again, from the listings kept in tests/fixtures/:
#
#   - three saved text dumps of Daily Papers pages. Their date lines ("Mar 18", "Mar 13",
#     "Aug 20") carry no year, so each is given one with --date (2025) rather than
#     letting ingest guess the most recent such day;
#   - one month of the Daily Papers API, September 2024, as recorded from Hugging Face:
#     full entries with arXiv ids, authors, upvotes and links, each paper on its own day.
#
# The topics in data/topics/ are kept. Run from the project root: scripts/sample-data.sh
set -euo pipefail

PYTHON=${PYTHON:-.venv/bin/python}
rm -rf data/manifest.json data/papers data/raw
ingest() { "$PYTHON" -m generator ingest --source "$1" "${@:2}"; }
ingest "Hugging Face Daily Papers (saved text)" tests/fixtures/listings/000_b576c3413a2b9c1b.txt --date 2025-03-18
ingest "Hugging Face Daily Papers (saved text)" tests/fixtures/listings/002_716546b6796ec1ae.txt --date 2025-03-13
ingest "Hugging Face Daily Papers (saved text)" tests/fixtures/listings/004_b548482678399d8f.txt --date 2025-08-20
ingest "Hugging Face Daily Papers (API, recorded September 2024)" tests/fixtures/hf/api_daily_papers_month_2024-09.json
"$PYTHON" -m generator check
