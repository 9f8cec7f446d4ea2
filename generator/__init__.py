"""Paper Digest: Hugging Face Daily Papers listings -> paper store -> MkDocs site.

Stages, one package each: sources/ (parse a listing, fetch one) -> store/ (data/) ->
topics/ (tagging) -> render/ (what the site is: pages from the tagged store) ->
speed/ (how generate makes them fast, and writes docs/). commands/ holds one recipe
per command over them; cli.py is the command line.
"""

__version__ = "0.1.0"
