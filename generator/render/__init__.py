"""Render: what the site is. Pure functions from the store, tagged, to the files of docs/.

    model.py     the site model: days, topics, each paper's entries (Tagged papers)
    pages/       the page kinds, a module each: what a kind shows (its inputs), how it is made, its cost
    urls.py      the URL scheme: paths in docs/, served addresses, anchors, links
    entries.py   a paper's entry as HTML (the hot path); templates/ the rest of a page
    feeds.py, bibtex.py, export.py, search.py, charts.py   the other kinds of file
    escape.py, latex.py, text.py, paper_links.py   what they share
    rawhtml.py   the Markdown extension the builders load to read the pages' HTML blocks

Nothing here knows of digests, caches, processes or an earlier run: that is the
build stage's (generator/speed/).
"""
