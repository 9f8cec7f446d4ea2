"""HTTP for `fetch`: polite, patient GET requests to Hugging Face (or a mirror).

- a timeout on every request, and a clear User-Agent; an `HF_TOKEN` if set
- retries with exponential backoff on connection errors, timeouts, 5xx and 429;
  a 429 or 503 waits as long as the server asks, by `Retry-After` (seconds or an
  HTTP date) or by the `RateLimit` header (`...;t=SECONDS`)
- a pause between requests, so a month's backfill does not hammer the site
- redirects are followed; the final URL is reported, so a caller can see that a
  day without papers was redirected to another day

The standard library does the HTTP: the retry policy is the part that matters and
it is here, small enough to read, with `sleep` injectable for tests.
"""

from __future__ import annotations

import email.utils
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from .. import __version__

USER_AGENT = f"paper-digest/{__version__} (static site digest of Hugging Face Daily Papers; Python urllib)"
DEFAULT_BASE_URL = "https://huggingface.co"
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_WAIT = 300.0  # never sleep longer than this for one retry, whatever the server says
MAX_BODY = 50 * 1024 * 1024


@dataclass(frozen=True)
class Response:
    url: str  # the final URL, after redirects
    status: int
    body: bytes
    fetched_at: str  # ISO 8601, UTC, seconds


class FetchError(Exception):
    """A request that failed for good (after every retry, or with a 4xx that retrying cannot fix)."""


@dataclass
class Client:
    base_url: str = DEFAULT_BASE_URL
    token: str | None = None
    timeout: float = 30.0
    retries: int = 4
    backoff: float = 2.0  # first wait; doubles on each retry
    pause: float = 1.0  # between two requests
    sleep: Callable[[float], None] = time.sleep
    _last_request: float = field(default=0.0, init=False, repr=False)  # monotonic time of the last request

    def url(self, path: str, **query: object) -> str:
        base = self.base_url.rstrip("/")
        params = urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        return f"{base}{path}{'?' + params if params else ''}"

    def get(self, url: str) -> Response:
        """GET with retries; raises FetchError with what went wrong on the last try."""
        last_error = "no attempt made"
        for attempt in range(self.retries + 1):
            self._be_polite()
            try:
                return self._once(url)
            except urllib.error.HTTPError as err:
                last_error = f"HTTP {err.code} {err.reason}"
                if err.code not in RETRY_STATUSES:
                    raise FetchError(f"{url}: {last_error}") from None
                wait = server_wait(err.headers.get("Retry-After"), err.headers.get("RateLimit"))
            except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as err:
                reason = getattr(err, "reason", err)
                last_error = "timed out" if isinstance(reason, (socket.timeout, TimeoutError)) else f"connection failed ({reason})"
                wait = None
            if attempt == self.retries:
                break
            self.sleep(min(MAX_WAIT, wait if wait is not None else self.backoff * 2**attempt))
        raise FetchError(f"{url}: {last_error} (after {self.retries + 1} tries)")

    def _once(self, url: str) -> Response:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json, text/html;q=0.9"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(request, timeout=self.timeout) as answer:
            body = answer.read(MAX_BODY + 1)
            if len(body) > MAX_BODY:
                raise FetchError(f"{url}: answer larger than {MAX_BODY:,} bytes")
            return Response(answer.geturl(), answer.status, body, utc_now())

    def _be_polite(self) -> None:
        elapsed = time.monotonic() - self._last_request
        if self._last_request and elapsed < self.pause:
            self.sleep(self.pause - elapsed)
        self._last_request = time.monotonic()


def utc_now() -> str:
    """The time now, as the manifest records it: ISO 8601, UTC, whole seconds."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


_RATELIMIT_T = re.compile(r"(?:^|[;,\s])t=(\d+)")


def server_wait(retry_after: str | None, ratelimit: str | None) -> float | None:
    """Seconds the server asked us to wait, from Retry-After or RateLimit; None if it did not say."""
    if retry_after:
        value = retry_after.strip()
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
        except (TypeError, ValueError):
            pass
    if ratelimit:
        match = _RATELIMIT_T.search(ratelimit)
        if match:
            return float(match.group(1))
    return None
