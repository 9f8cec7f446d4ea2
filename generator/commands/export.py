"""`export`: the whole store, tagged, as one JSON document."""

from __future__ import annotations

from ..lock import reading
from ..render.export import export_json
from ..render.model import tagged_model
from ..topics import tag
from . import Project, Say, load_valid_topics, stderr
from .generate import load_checked


def export(project: Project, say: Say = stderr) -> str:
    topics = load_valid_topics(project.store, say)
    with reading(project.store.root):  # no change is made current while the store is read
        state = project.store.load()
    loaded = load_checked(state, topics)
    tagging = tag(topics, loaded.papers, loaded.state.listings, loaded.resolve)
    from ..related import compute as compute_related  # scikit-learn: a second to import

    related = compute_related(loaded.papers).related()
    model = tagged_model(loaded.papers, loaded.state.listings, topics, tagging)
    listing_topics = {l.id: l.topic for l in loaded.state.listings.values() if l.topic}
    ids = sorted(model.tagged)
    return export_json([model.tagged[i] for i in ids], listing_topics, related=[related.get(i, ()) for i in ids])
