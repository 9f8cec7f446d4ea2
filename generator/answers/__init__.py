"""Answers: what `resolve` reads of the services it asks for a paper's arXiv id.

These are not listings (sources/ reads those): an answer names papers that may
match a title, and `resolve` takes a hit only for the exact title it asked about.

    arxiv.py   the arXiv API's Atom feed (defusedxml)

Hugging Face's paper search answers with Daily Papers items, which sources/hfitems.py
reads for listings and resolve alike.
"""
