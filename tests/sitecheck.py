"""Helpers for tests of a built site: serve it on localhost, check every link."""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class Served:
    """A built site served over HTTP on 127.0.0.1, for the browser."""

    def __init__(self, root: Path):
        self.site = root
        handler = functools.partial(_QuietHandler, directory=str(root))
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class PageLinks(HTMLParser):
    """Element ids and link targets of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag in ("a", "link") and attrs.get("href"):
            self.links.append(attrs["href"])


@dataclass
class LinkReport:
    pages: int = 0
    checked: int = 0
    broken: list[str] = field(default_factory=list)


def check_links(site: Path) -> LinkReport:
    """Every internal link and anchor of every page (404.html aside: it links with
    absolute paths on purpose, as it is served from any depth)."""
    pages = {}
    for path in site.rglob("*.html"):
        if path.name != "404.html":
            parser = PageLinks()
            parser.feed(path.read_text(encoding="utf-8"))
            pages[path.resolve()] = parser
    report = LinkReport(pages=len(pages))
    for page, parsed in pages.items():
        for href in parsed.links:
            if re.match(r"^[a-z][a-z0-9+.-]*:", href) or href.startswith("//"):
                continue  # another site (arXiv, GitHub...)
            target, _, fragment = href.partition("#")
            path = (page.parent / target.split("?")[0]).resolve() if target else page
            if path.is_dir():
                path = path / "index.html"
            report.checked += 1
            where = f"{page.relative_to(site.resolve())}: {href}"
            if path.suffix != ".html":
                if not path.exists():
                    report.broken.append(where)
            elif path not in pages:
                report.broken.append(where)
            elif fragment and fragment not in pages[path].ids:
                report.broken.append(f"{where} (no such anchor)")
    return report
