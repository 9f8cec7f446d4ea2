"""HTTP for `fetch`: polite, patient GET requests to Hugging Face (or a mirror).

- a deadline on every request, for all of it: connecting, the headers and the
  whole body (a socket timeout alone bounds each read, so a server sending a byte
  a second could hold a request forever; a watchdog cuts the connection instead)
- a clear User-Agent; an `HF_TOKEN` if set
- retries with exponential backoff on connection errors, timeouts, 5xx and 429;
  a 429 or 503 waits as long as the server asks, by `Retry-After` (seconds or an
  HTTP date) or by the `RateLimit` header (`...;t=SECONDS`), up to `max_wait`:
  a server that asks for longer fails the request at once
- a deadline for the whole run (`run_deadline`): no request starts, and no wait
  lasts, past it
- a pause between requests, so a month's backfill does not hammer the site
- a network that is down is known early: after `unreachable_after` attempts in a
  row that could not connect at all (refused, no route, no name), `NetworkDown` is
  raised, and fetch and resolve stop rather than try every day or paper in turn
- redirects are followed; the final URL is reported, so a caller can see that a
  day without papers was redirected to another day

The standard library does the HTTP: the retry policy is the part that matters and
it is here, small enough to read, with `sleep` injectable for tests.
"""

from __future__ import annotations

import email.utils
import errno
import http.client
import re
import socket
import threading
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
DEFAULT_MAX_WAIT = 120.0  # a server asking to wait longer fails the request instead
MAX_BODY = 50 * 1024 * 1024


@dataclass(frozen=True)
class Response:
    url: str  # the final URL, after redirects
    status: int
    body: bytes
    fetched_at: str  # ISO 8601, UTC, seconds


class FetchError(Exception):
    """A request that failed for good (after every retry, or with a 4xx that retrying cannot fix)."""


class NetworkDown(FetchError):
    """Several attempts in a row could not connect at all: the rest of the run would fail too."""


@dataclass
class Client:
    base_url: str = DEFAULT_BASE_URL
    token: str | None = None
    timeout: float = 30.0  # for the whole of one request
    retries: int = 4
    backoff: float = 2.0  # first wait; doubles on each retry
    pause: float = 1.0  # between two requests
    max_wait: float = DEFAULT_MAX_WAIT
    run_deadline: float | None = None  # time.monotonic() after which nothing is asked
    sleep: Callable[[float], None] = time.sleep
    unreachable_after: int = 3  # attempts in a row that could not connect, after which the network is down
    _last_request: float = field(default=0.0, init=False, repr=False)  # monotonic time of the last request
    _unreachable: int = field(default=0, init=False, repr=False)  # attempts in a row that could not connect

    def url(self, path: str, **query: object) -> str:
        base = self.base_url.rstrip("/")
        params = urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        return f"{base}{path}{'?' + params if params else ''}"

    def out_of_time(self) -> bool:
        """Whether the run's deadline has passed."""
        return self.run_deadline is not None and time.monotonic() >= self.run_deadline

    def get(self, url: str) -> Response:
        """GET with retries; raises FetchError with what went wrong on the last try."""
        last_error = "no attempt made"
        for attempt in range(self.retries + 1):
            self._be_polite()
            if self.out_of_time():
                raise FetchError(f"{url}: not asked: the run's deadline has passed")
            try:
                answer = self._once(url)
                self._unreachable = 0
                return answer
            except urllib.error.HTTPError as err:
                self._unreachable = 0  # the server answered
                last_error = f"HTTP {err.code} {err.reason}"
                if err.code not in RETRY_STATUSES:
                    raise FetchError(f"{url}: {last_error}") from None
                wait = server_wait(err.headers.get("Retry-After"), err.headers.get("RateLimit"))
                if wait is not None and wait > self.max_wait:
                    raise FetchError(
                        f"{url}: {last_error}, and the server asks to wait {wait:,.0f} s, more than the {self.max_wait:g} s "
                        "allowed (--max-wait)"
                    ) from None
            except _Cut:
                last_error = f"no complete answer within {self.timeout:g} s"
                wait = None
            except (urllib.error.URLError, http.client.HTTPException, socket.timeout, TimeoutError, ConnectionError) as err:
                reason = getattr(err, "reason", err)
                timed_out = isinstance(reason, (socket.timeout, TimeoutError))
                last_error = f"no complete answer within {self.timeout:g} s" if timed_out else f"connection failed ({reason})"
                wait = None
                self._unreachable = self._unreachable + 1 if _not_connected(reason) else 0
                if self._unreachable >= self.unreachable_after:
                    host = urllib.parse.urlsplit(url).netloc
                    raise NetworkDown(
                        f"the network looks down: the last {self._unreachable} attempts to reach {host} could not connect ({reason})"
                    ) from None
            if attempt == self.retries:
                break
            delay = wait if wait is not None else self.backoff * 2**attempt
            if self.run_deadline is not None and time.monotonic() + delay >= self.run_deadline:
                raise FetchError(f"{url}: {last_error}; no retry: the run's deadline would pass while waiting {delay:g} s")
            self.sleep(delay)
        raise FetchError(f"{url}: {last_error} (after {self.retries + 1} tries)")

    def _once(self, url: str) -> Response:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json, text/html;q=0.9"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(url, headers=headers)
        seconds = self.timeout
        if self.run_deadline is not None:
            seconds = max(0.001, min(seconds, self.run_deadline - time.monotonic()))
        watchdog = _Watchdog(seconds)
        opener = urllib.request.build_opener(_PlainHandler(watchdog), _SecureHandler(watchdog))
        try:
            with watchdog, opener.open(request, timeout=seconds) as answer:
                body = answer.read(MAX_BODY + 1)
                final_url, status = answer.geturl(), answer.status
        except Exception:
            if watchdog.fired:
                raise _Cut() from None
            raise
        if watchdog.fired:
            raise _Cut()
        if len(body) > MAX_BODY:
            raise FetchError(f"{url}: answer larger than {MAX_BODY:,} bytes")
        return Response(final_url, status, body, utc_now())

    def _be_polite(self) -> None:
        elapsed = time.monotonic() - self._last_request
        if self._last_request and elapsed < self.pause:
            self.sleep(self.pause - elapsed)
        self._last_request = time.monotonic()


def _not_connected(reason: object) -> bool:
    """Whether a failure is one of not reaching the host at all: refused, no route, no
    such name (DNS), rather than a server that answered badly or slowly."""
    return isinstance(reason, (ConnectionRefusedError, socket.gaierror)) or (
        isinstance(reason, OSError) and reason.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN)
    )


class _Cut(Exception):
    """The watchdog cut a request that ran past its deadline."""


class _Watchdog:
    """Shuts the connections of one request down when its time is up, which ends any
    read in progress; `fired` says that it did."""

    def __init__(self, seconds: float):
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> "_Watchdog":
        self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._timer.cancel()

    def watch(self, connection: http.client.HTTPConnection) -> http.client.HTTPConnection:
        """The connection, made to report its socket to this watchdog once connected."""
        connect = connection.connect

        def connect_and_watch() -> None:
            connect()
            with self._lock:
                self._sockets.append(connection.sock)
                if self.fired:
                    self._shut(connection.sock)

        connection.connect = connect_and_watch  # type: ignore[method-assign]
        return connection

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket | None) -> None:
        try:
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed


class _PlainHandler(urllib.request.HTTPHandler):
    def __init__(self, watchdog: _Watchdog):
        super().__init__()
        self.watchdog = watchdog

    def http_open(self, req):
        return self.do_open(lambda host, **kw: self.watchdog.watch(http.client.HTTPConnection(host, **kw)), req)


class _SecureHandler(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: _Watchdog):
        super().__init__()
        self.watchdog = watchdog

    def https_open(self, req):
        return self.do_open(
            lambda host, **kw: self.watchdog.watch(http.client.HTTPSConnection(host, **kw)),
            req,
            context=self._context,
        )


def check_base_url(url: str) -> str:
    """`url` if it is an http(s) URL with a host; else ValueError saying what is wrong."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{url!r} is not an http:// or https:// URL with a host")
    return url


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
