"""HTTP for the sync client: one requests Session per run, safe defaults, strict replies.

- ``trust_env = False``: no proxy or CA-bundle variables from the environment.
- TLS verification always on; an enrolment may pin a CA file and a SHA-256 certificate
  fingerprint.
- ``http://`` only to loopback; checked before any socket opens (here and in the adapter).
- Every call has a (connect, read) timeout and an overall deadline (``CALL_DEADLINE``: connect,
  request, the whole reply and any retries), capped by the run's deadline; a cancel or a
  deadline ends even a blocking read (``sync.deadline``). Only idempotent calls are retried,
  with backoff, and only while the deadline leaves time for it.
- Replies are streamed, read up to ``MAX_REPLY_BYTES`` (a larger Content-Length is refused
  before reading) and parsed as strict JSON; requests and urllib3 exceptions become
  ``sync.errors`` here.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import json
import logging
import math
import secrets
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter

from .deadline import Watch, watch_pool_manager
from .errors import (
    AppTooOld,
    AuthRejected,
    InsecureUrl,
    ProtocolError,
    RequestRejected,
    ServerError,
    SyncError,
    TimedOut,
    TlsRefused,
    TooManyAttempts,
    Unreachable,
)
from .protocol import APP_VERSION, MAX_REPLY_BYTES, VERSION_HEADER, parse_error_body

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (5.0, 30.0)
CALL_DEADLINE = 60.0   # seconds for one call with its retries: a batch of 200 records is ~1 s
READ_CHUNK = 16384
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _guard(url: str) -> urllib.parse.SplitResult:
    """Refuse anything but https://, or http:// to loopback, with no user info."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = parts.hostname or ""
        _ = parts.port
    except (ValueError, AttributeError) as exc:
        raise InsecureUrl("not a usable URL") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not host or parts.username or parts.password:
        raise InsecureUrl("only https:// URLs (http:// to loopback) are allowed")
    if scheme == "http" and not is_loopback(host):
        raise InsecureUrl("http:// is refused for anything but loopback")
    return parts


def check_url(url: str) -> str:
    """The base URL without a trailing slash; InsecureUrl for anything we will not call."""
    parts = _guard(url)
    if parts.query or parts.fragment:
        raise InsecureUrl("the server URL takes no query or fragment")
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc,
                                    parts.path.rstrip("/"), "", ""))


def normalise_fingerprint(fingerprint: str) -> str:
    digits = fingerprint.replace(":", "").strip().lower()
    if len(digits) != 64 or any(c not in "0123456789abcdef" for c in digits):
        raise ValueError("a certificate fingerprint is 64 hex digits (SHA-256)")
    return digits


class GuardedAdapter(HTTPAdapter):
    """Refuses non-loopback http:// before connecting; optionally pins the certificate."""

    def __init__(self, fingerprint: str = "", **kwargs: Any):
        self._fingerprint = normalise_fingerprint(fingerprint) if fingerprint else ""
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        if self._fingerprint:
            kwargs["assert_fingerprint"] = self._fingerprint
        super().init_poolmanager(*args, **kwargs)
        watch_pool_manager(self.poolmanager)

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        _guard(request.url or "")
        return super().send(request, *args, **kwargs)


def new_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.verify = True
    session.max_redirects = 0
    session.mount("https://", GuardedAdapter())
    session.mount("http://", GuardedAdapter())
    return session


def pin_server(session: requests.Session, base_url: str, fingerprint: str) -> None:
    """Pin a server's certificate fingerprint (longest-prefix adapters win in requests)."""
    if fingerprint:
        session.mount(base_url + "/", GuardedAdapter(fingerprint))


class Transport:
    """Calls for one run. ``call_deadline`` bounds each call (with its retries); ``ends_at``
    (a ``time.monotonic()`` value) is the run's deadline, after which every call raises
    ``RunTimedOut``; ``cancel`` is asked before and during each call."""

    def __init__(self, session: requests.Session, *, timeout: tuple[float, float] = DEFAULT_TIMEOUT,
                 retries: int = 2, backoff: float = 0.5,
                 cancel: Callable[[], bool] | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 call_deadline: float = CALL_DEADLINE, ends_at: float = math.inf):
        session.trust_env = False
        self.session = session
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.cancel = cancel or (lambda: False)
        self.sleep = sleep
        self.call_deadline = call_deadline
        self.ends_at = ends_at
        self.round_trips = 0

    def call(self, method: str, url: str, *, token: str = "", body: Any = None,
             idempotent: bool, verify: str | bool = True) -> Any:
        _guard(url)
        attempts = 1 + (self.retries if idempotent else 0)
        call_ends_at = time.monotonic() + self.call_deadline
        for attempt in range(attempts):
            watch = Watch(call_ends_at, self.cancel, run_ends_at=self.ends_at)
            watch.raise_due()
            try:
                return self._once(method, url, token, body, verify, watch)
            except TimedOut:
                raise
            except (Unreachable, ServerError, RequestRejected) as exc:
                retryable = not isinstance(exc, TlsRefused) and (
                    not isinstance(exc, RequestRejected | ServerError)
                    or exc.status in RETRY_STATUSES)
                if not retryable or attempt == attempts - 1 or not self._pause(attempt, watch):
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _pause(self, attempt: int, watch: Watch) -> bool:
        """Wait before a retry; False when the call's deadline leaves no time for one."""
        delay = self.backoff * (2 ** attempt) * (1 + secrets.randbelow(1000) / 1000)
        if delay >= watch.remaining():
            return False
        resume = time.monotonic() + delay
        while time.monotonic() < resume:
            watch.raise_due()
            self.sleep(min(0.05, max(0.0, resume - time.monotonic())))
        return True

    def _once(self, method: str, url: str, token: str, body: Any, verify: str | bool,
              watch: Watch) -> Any:
        headers = {"Accept": "application/json", VERSION_HEADER: APP_VERSION}
        data = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = body if isinstance(body, bytes) else encode_body(body)
        started = time.monotonic()
        self.round_trips += 1
        left = max(0.001, watch.remaining())
        timeout = (min(self.timeout[0], left), min(self.timeout[1], left))
        try:
            with watch:
                response = self.session.request(method, url, data=data, headers=headers,
                                                timeout=timeout, verify=verify, stream=True,
                                                allow_redirects=False)
                try:
                    status, raw = response.status_code, _read_capped(response, watch)
                    content_type = str(response.headers.get("Content-Type", ""))
                finally:
                    with contextlib.suppress(Exception):
                        response.close()
        except SyncError:
            watch.raise_fired()
            raise
        except Exception as exc:
            watch.raise_due()  # a read the watcher ended, or a timeout at the deadline
            raise _translated(exc) from exc
        watch.raise_fired()    # a reply cut short by the watcher is no reply
        log.info("sync.http method=%s status=%s ms=%.0f", method, status,
                 (time.monotonic() - started) * 1000)
        return _interpret(status, raw, content_type)


def encode_body(body: Any) -> bytes:
    """A request body as sent: JSON in UTF-8, no NaN. ``Transport.call`` takes these bytes
    as they are, so a caller may encode a body ahead of the call (off the thread that waits
    on the network)."""
    return json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")


def _translated(exc: Exception) -> SyncError:
    """A requests, urllib3 or socket exception as the sync error it means."""
    if isinstance(exc, requests.exceptions.SSLError):
        return TlsRefused("the server's certificate was not accepted")
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.InvalidSchema
                  | requests.exceptions.MissingSchema):
        return InsecureUrl("not a usable URL")
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return ProtocolError("the reply could not be decoded")
    if isinstance(exc, requests.exceptions.RequestException | OSError
                  | urllib3.exceptions.HTTPError | http.client.HTTPException):
        return Unreachable(f"no answer ({type(exc).__name__})")
    raise exc


def _read_capped(response: requests.Response, watch: Watch) -> bytes:
    """The reply body, streamed: refused when it says or grows larger than MAX_REPLY_BYTES;
    the call's deadline and the cancel are checked between chunks (and inside reads by the
    watcher)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_REPLY_BYTES:
        raise ProtocolError("the reply is too large")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(READ_CHUNK):
        watch.raise_due()
        size += len(chunk)
        if size > MAX_REPLY_BYTES:
            raise ProtocolError("the reply is too large")
        chunks.append(chunk)
    return b"".join(chunks)


def _reject_constant(name: str) -> Any:
    raise ValueError("non-finite number")


def parse_json(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, RecursionError, UnicodeDecodeError) as exc:
        raise ProtocolError("the reply is not valid JSON") from exc


def _interpret(status: int, raw: bytes, content_type: str) -> Any:
    if status == 200:
        if not content_type.lower().startswith("application/json"):
            raise ProtocolError("the reply is not JSON")
        return parse_json(raw)
    try:
        code, min_version = parse_error_body(parse_json(raw))
    except ProtocolError:
        code, min_version = "", ""
    if status in (401, 403):
        raise AuthRejected(code or "unauthorized")
    if status == 426:
        raise AppTooOld(min_version)
    if status == 429 and code == "too_many_attempts":  # wrong enrolment codes: wait
        raise TooManyAttempts()
    if 500 <= status <= 599:
        raise ServerError(status)
    if 400 <= status <= 499:
        raise RequestRejected(status, code)
    raise ProtocolError(f"unexpected HTTP status {status}")
