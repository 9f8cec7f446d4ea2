"""Page inputs are declared once: every page kind's `make` is a module-level function,
given nothing but its page's inputs, so the key made of those inputs covers all that
the page shows (a forgotten input cannot exist, rather than being tested for)."""

from __future__ import annotations

import inspect

from conftest import FIXTURES, ingest_every_kind, make_project

from generator.render import pages
from generator.render.model import lay_out, tagged_model
from generator.store import Store
from generator.topics import load_topics, tag


def every_page(root):
    store = Store(root / "data")
    state = store.load()
    topics, _ = load_topics(store.topic_files())
    model = lay_out(tagged_model(state.papers, state.listings, topics, tag(topics, state.papers, state.listings), state.fetches))
    related = {paper_id: () for paper_id in state.papers}
    return [
        *pages.search_part(state.papers, topics).pages(),
        *pages.papers_part(model, lambda: related).pages(),
        *pages.site_pages(model, "https://x.io/"),
    ]


def test_every_page_is_made_by_a_module_level_function_of_its_inputs_alone(tmp_path):
    project = make_project(tmp_path, FIXTURES / "topics")
    ingest_every_kind(project)
    found = every_page(project.root)
    assert {p.kind for p in found} == set(pages.KINDS)  # every kind declared, and no other
    modules = {module.__name__: module for module in pages.KIND_MODULES}
    for page in found:
        make = page.make
        assert make.__module__ in modules and "<locals>" not in make.__qualname__, page.kind
        assert page.kind in modules[make.__module__].KINDS, f"{page.kind} is made in {make.__module__}, which does not declare it"
        assert getattr(modules[make.__module__], make.__name__) is make and make.__closure__ is None, page.kind
        assert list(inspect.signature(make).parameters)[0] == "inputs", page.kind
    paths = [path for page in found for path in page.paths or ()]
    assert len(paths) == len(set(paths))  # no file is made by two pages
