"""Paper Digest: Hugging Face Daily Papers listings -> paper store -> MkDocs site.

Stages, one module each: sources/ (parse a listing) -> merge.py + store.py (data/) ->
topics.py (tagging) -> render/ (Jinja2 templates) -> site.py (docs/); pipeline.py is
the orchestrator and cli.py the command line.
"""

__version__ = "0.1.0"
