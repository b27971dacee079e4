"""The backend's edge: a pure ASGI middleware that decides before any body is read.

For every HTTP request, in this order and before the application reads a byte of the body:

1. ``/v1/…``: the app version (``X-App-Version``) must meet ``min_app_version`` — else 426;
2. ``/v1/…`` other than ``/v1/enrol``: a known, unrevoked device token — else 401;
3. a declared ``Content-Length`` must be a number within the limit — else 413;
4. the body is counted as it streams in (chunked bodies declare no length): once it passes the
   limit the client gets 413 and the application's reading stops with ``BodyTooLarge``.

Refusals carry ``Connection: close``, so the server drops the connection instead of reading
(and discarding) the rest of a body it already refused. The limit is ``MAX_REQUEST_BYTES`` and
``SMALL_BODY_BYTES`` for enrolment, which needs a few dozen bytes. Every request is logged
with its path, status and duration — never headers, bodies or tokens.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..protocol import MAX_REQUEST_BYTES, parse_version
from .db import Database, secret_hash

log = logging.getLogger("sync.server")
ENROL_PATH = "/v1/enrol"
SMALL_BODY_BYTES = 16 * 1024
Refusal = tuple[int, str, str, dict[str, Any]]
TOO_LARGE: Refusal = (413, "too_large", "The request body is too large.", {})


class BodyTooLarge(Exception):
    """The body passed the limit; the client has had its 413."""


def gate(db: Database, path: str, version: str, token: str) -> Refusal | None:
    """Why a /v1 request must be refused before its body is read; None: let it in."""
    if not path.startswith("/v1/"):
        return None
    minimum = db.meta("min_app_version")
    have, need = parse_version(version), parse_version(minimum) or (0,)
    if have is None or have < need:
        return 426, "app_too_old", "The app is too old for this backend.", \
            {"min_version": minimum}
    if path == ENROL_PATH:
        return None
    rows = db.query("SELECT revoked_at FROM devices WHERE token_hash = ?",
                    (secret_hash(token),)) if token else []
    if not rows:
        return 401, "unauthorized", "Unknown device token.", {}
    if rows[0]["revoked_at"]:
        return 401, "device_revoked", "This device has been revoked.", {}
    return None


def bearer_token(headers: Headers) -> str:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def answer(send: Send, refusal: Refusal, *, close: bool = True) -> None:
    status, code, message, extra = refusal
    body = json.dumps({"error": {"code": code, "message": message, **extra}}).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Edge:
    """``app.add_middleware(Edge, db=db)``; ``max_bytes`` caps every body."""

    def __init__(self, app: ASGIApp, *, db: Database, max_bytes: int = MAX_REQUEST_BYTES):
        self.app, self.db, self.max_bytes = app, db, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, path = time.monotonic(), str(scope.get("path", ""))
        headers = Headers(scope=scope)
        limit = SMALL_BODY_BYTES if path == ENROL_PATH else self.max_bytes
        state = {"status": 0, "received": 0, "over": False}

        async def capped_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request" and not state["over"]:
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    state["over"] = True
                    if not state["status"]:
                        state["status"] = 413
                        await answer(send, TOO_LARGE)
                    raise BodyTooLarge
            return message

        async def tracked_send(message: Message) -> None:
            if state["over"]:
                return          # the 413 went out; whatever the app says after it is dropped
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
            await send(message)

        try:
            refusal = await anyio.to_thread.run_sync(     # the lock may be held by a push
                gate, self.db, path, headers.get("x-app-version", ""),
                bearer_token(headers)) if path.startswith("/v1/") else None
            declared = headers.get("content-length")
            if refusal is None and declared is not None and (
                    not declared.isdigit() or int(declared) > limit):
                refusal = TOO_LARGE
            if refusal is not None:
                state["status"] = refusal[0]
                await answer(send, refusal)
                return
            try:
                await self.app(scope, capped_receive, tracked_send)
            except Exception:
                if not state["over"]:
                    raise       # a real failure: the app's own handlers answer it
        finally:
            log.info("http path=%s status=%s ms=%.0f", path[:80], state["status"] or "-",
                     (time.monotonic() - started) * 1000)
