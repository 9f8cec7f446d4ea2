"""A local stand-in for huggingface.co, serving recorded answers over real HTTP.

Routes, like the real site:
    /api/daily_papers?date=D&limit=L&p=P   items of day D from the recorded month (paged)
    /api/papers/search?q=TEXT              the recorded search answer
    /papers/date/D                         the recorded page for its day; any other day
                                           redirects (302) to it, as the site does for
                                           days without papers
    /api/query                             arXiv's API: an Atom feed with no paper
Tests script failures per path with `server.script(path, *answers)`: each request to
that path takes the next answer (status, headers, body, delay) until they run out.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HF = Path(__file__).parent / "fixtures" / "hf"
PAGE_DAY = "2024-08-01"


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    trickle: float = 0.0  # seconds between the bytes of the body: a slow-loris server


@dataclass
class Recorded:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class FakeHub:
    def __init__(self) -> None:
        month = json.loads((HF / "api_daily_papers_month_2024-09.json").read_text())
        self.days: dict[str, list] = defaultdict(list)
        for item in month:
            self.days[item["paper"]["submittedOnDailyAt"][:10]].append(item)
        self.page = (HF / "daily_page_2024-08-01.html").read_bytes()
        self.search = (HF / "api_papers_search_q-diffusion.json").read_bytes()
        self.scripts: dict[str, list[Answer]] = defaultdict(list)
        self.requests: list[Recorded] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        # A short poll: shutdown() waits for the loop's next poll, 0.5 s by default, which
        # the dozens of tests that start a server spent waiting.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def script(self, path: str, *answers: Answer) -> None:
        self.scripts[path].extend(answers)

    def start(self) -> "FakeHub":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ---- routing ----------------------------------------------------------------------

    def answer(self, path: str, query: dict[str, str]) -> Answer:
        if self.scripts.get(path):
            return self.scripts[path].pop(0)
        if path == "/api/daily_papers":
            items = self.days.get(query.get("date", ""), [])
            limit, page = int(query.get("limit", 50)), int(query.get("p", 0))
            return _json(items[page * limit : (page + 1) * limit])
        if path == "/api/papers/search":
            return Answer(200, self.search, {"Content-Type": "application/json"})
        if path == "/api/query":  # arXiv's API: no paper, unless a test scripts one
            return Answer(200, atom_feed([]), {"Content-Type": "application/atom+xml"})
        if path == f"/papers/date/{PAGE_DAY}":
            return Answer(200, self.page, {"Content-Type": "text/html; charset=utf-8"})
        if path.startswith("/papers/date/"):
            return Answer(302, b"", {"Location": f"/papers/date/{PAGE_DAY}"})
        return Answer(404, b"not found")

    def _handler(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query))
                hub.requests.append(Recorded(parts.path, query, dict(self.headers)))
                answer = hub.answer(parts.path, query)
                if answer.delay:
                    time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    if not answer.trickle:
                        self.wfile.write(answer.body)
                    for byte in answer.body if answer.trickle else b"":
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(answer.trickle)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args) -> None:
                pass

        return Handler


def atom_feed(papers: list[tuple[str, str, str]]) -> bytes:
    """An arXiv API answer in its real shape, with (arXiv id, title, author) entries."""
    entries = "".join(
        f"<entry><id>http://arxiv.org/abs/{arxiv_id}v2</id><published>2024-09-18T17:59:59Z</published>"
        f"<title>{title}</title><summary>An abstract.</summary><author><name>{author}</name></author>"
        f'<link href="http://arxiv.org/abs/{arxiv_id}v2" rel="alternate" type="text/html"/></entry>'
        for arxiv_id, title, author in papers
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        '<title type="html">ArXiv Query</title><id>http://arxiv.org/api/x</id>'
        f'<opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{len(papers)}</opensearch:totalResults>'
        f"{entries}</feed>\n"
    ).encode("utf-8")


def _json(value) -> Answer:
    return Answer(200, json.dumps(value).encode("utf-8"), {"Content-Type": "application/json"})
