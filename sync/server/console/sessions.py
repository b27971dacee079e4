"""Console sessions: a random id in an HttpOnly, SameSite=Strict cookie (Secure over TLS),
only its hash stored; a CSRF token per session; an idle timeout and an absolute lifetime.

The login form, before any session exists, is protected by a double-submit token: a random
value in a cookie of its own that the form must send back.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request
from fastapi.responses import Response

from ..db import Database, secret_hash
from .users import User, get_user

COOKIE = "konsoll_sesjon"
LOGIN_COOKIE = "konsoll_innlogging"
LANG_COOKIE = "konsoll_sprak"
PATH = "/konsoll"
IDLE_TIMEOUT = timedelta(minutes=15)
MAX_LIFETIME = timedelta(hours=10)


@dataclass(frozen=True)
class Session:
    id_hash: str
    user: User
    csrf: str


def set_cookie(request: Request, response: Response, name: str, value: str, *,
               max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path=PATH, httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")


def start(db: Database, request: Request, response: Response, user: User,
          now: datetime) -> Session:
    """A new session for the user (any session id the browser had is dropped first)."""
    _forget(db, request)
    token = secrets.token_urlsafe(32)
    session = Session(secret_hash(token), user, secrets.token_urlsafe(32))
    with db.transaction() as conn:
        conn.execute("INSERT INTO console_sessions VALUES (?, ?, ?, ?, ?)",
                     (session.id_hash, user.id, session.csrf, now.isoformat(),
                      now.isoformat()))
        # Sessions long idle are removed as new ones start.
        conn.execute("DELETE FROM console_sessions WHERE last_seen < ?",
                     ((now - IDLE_TIMEOUT).isoformat(),))
    set_cookie(request, response, COOKIE, token)
    response.delete_cookie(LOGIN_COOKIE, path=PATH, httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")
    return session


def current(db: Database, request: Request, now: datetime) -> Session | None:
    """The live session of the request (its idle clock restarted), or None."""
    token = request.cookies.get(COOKIE, "")
    if not token or len(token) > 100:
        return None
    id_hash = secret_hash(token)
    rows = db.query("SELECT * FROM console_sessions WHERE id_hash = ?", (id_hash,))
    if not rows:
        return None
    row = rows[0]
    idle = now - datetime.fromisoformat(row["last_seen"])
    age = now - datetime.fromisoformat(row["created_at"])
    user = get_user(db, row["user_id"])
    if idle > IDLE_TIMEOUT or age > MAX_LIFETIME or user is None or user.disabled:
        with db.transaction() as conn:
            conn.execute("DELETE FROM console_sessions WHERE id_hash = ?", (id_hash,))
        return None
    with db.transaction() as conn:
        conn.execute("UPDATE console_sessions SET last_seen = ? WHERE id_hash = ?",
                     (now.isoformat(), id_hash))
    return Session(id_hash, user, row["csrf"])


def end(db: Database, request: Request, response: Response) -> None:
    _forget(db, request)
    response.delete_cookie(COOKIE, path=PATH, httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")


def _forget(db: Database, request: Request) -> None:
    token = request.cookies.get(COOKIE, "")
    if token:
        with db.transaction() as conn:
            conn.execute("DELETE FROM console_sessions WHERE id_hash = ?", (secret_hash(token),))


def login_token(request: Request) -> str:
    """The double-submit token for the login form: the browser's, or a new one."""
    token = request.cookies.get(LOGIN_COOKIE, "")
    return token if 20 <= len(token) <= 100 else secrets.token_urlsafe(32)


def same_token(expected: str, sent: str) -> bool:
    return bool(expected) and hmac.compare_digest(expected.encode(), sent.encode())


def origin_ok(request: Request) -> bool:
    """A POST's Origin (when the browser sends one) must be this console's own."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin == f"{request.url.scheme}://{request.url.netloc}"
