"""HTTP for the sync client: one requests Session per run, safe defaults, strict replies.

- ``trust_env = False``: no proxy or CA-bundle variables from the environment.
- TLS verification always on; an enrolment may pin a CA file and a SHA-256 certificate
  fingerprint.
- ``http://`` only to loopback; checked before any socket opens (here and in the adapter).
- Every call has a (connect, read) timeout; only idempotent calls are retried, with backoff.
- Replies are read up to ``MAX_REPLY_BYTES`` and parsed as strict JSON; requests and urllib3
  exceptions become ``sync.errors`` here.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import secrets
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from .errors import (
    AppTooOld,
    AuthRejected,
    Cancelled,
    InsecureUrl,
    ProtocolError,
    RequestRejected,
    ServerError,
    SyncError,
    TlsRefused,
    Unreachable,
)
from .protocol import APP_VERSION, MAX_REPLY_BYTES, VERSION_HEADER, parse_error_body

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (5.0, 30.0)
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
    def __init__(self, session: requests.Session, *, timeout: tuple[float, float] = DEFAULT_TIMEOUT,
                 retries: int = 2, backoff: float = 0.5,
                 cancel: Callable[[], bool] | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        session.trust_env = False
        self.session = session
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.cancel = cancel or (lambda: False)
        self.sleep = sleep
        self.round_trips = 0

    def call(self, method: str, url: str, *, token: str = "", body: Any = None,
             idempotent: bool, verify: str | bool = True) -> Any:
        _guard(url)
        attempts = 1 + (self.retries if idempotent else 0)
        for attempt in range(attempts):
            if self.cancel():
                raise Cancelled("cancelled")
            try:
                return self._once(method, url, token, body, verify)
            except (Unreachable, ServerError, RequestRejected) as exc:
                retryable = not isinstance(exc, TlsRefused) and (
                    not isinstance(exc, RequestRejected | ServerError)
                    or exc.status in RETRY_STATUSES)
                if not retryable or attempt == attempts - 1:
                    raise
                self._pause(attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _pause(self, attempt: int) -> None:
        delay = self.backoff * (2 ** attempt) * (1 + secrets.randbelow(1000) / 1000)
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline:
            if self.cancel():
                raise Cancelled("cancelled")
            self.sleep(min(0.05, max(0.0, deadline - time.monotonic())))

    def _once(self, method: str, url: str, token: str, body: Any, verify: str | bool) -> Any:
        headers = {"Accept": "application/json", VERSION_HEADER: APP_VERSION}
        data = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")
        started = time.monotonic()
        self.round_trips += 1
        try:
            response = self.session.request(method, url, data=data, headers=headers,
                                            timeout=self.timeout, verify=verify, stream=True,
                                            allow_redirects=False)
            try:
                status, raw = response.status_code, _read_capped(response)
                content_type = str(response.headers.get("Content-Type", ""))
            finally:
                with contextlib.suppress(Exception):
                    response.close()
        except SyncError:
            raise
        except requests.exceptions.SSLError as exc:
            raise TlsRefused("the server's certificate was not accepted") from exc
        except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
                requests.exceptions.MissingSchema) as exc:
            raise InsecureUrl("not a usable URL") from exc
        except requests.exceptions.ContentDecodingError as exc:
            raise ProtocolError("the reply could not be decoded") from exc
        except (requests.exceptions.RequestException, OSError) as exc:
            raise Unreachable(f"no answer ({type(exc).__name__})") from exc
        log.info("sync.http method=%s status=%s ms=%.0f", method, status,
                 (time.monotonic() - started) * 1000)
        return _interpret(status, raw, content_type)


def _read_capped(response: requests.Response) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_REPLY_BYTES:
        raise ProtocolError("the reply is too large")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(65536):
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
    if 500 <= status <= 599:
        raise ServerError(status)
    if 400 <= status <= 499:
        raise RequestRejected(status, code)
    raise ProtocolError(f"unexpected HTTP status {status}")
