"""Console accounts: scrypt password hashes, roles, deactivation and a per-account lockout.

A hash is stored as ``scrypt$<log2 n>$<r>$<p>$<salt b64>$<key b64>``: the parameters travel
with it, so they can be raised later and old hashes still verify. The lockout: after
``FREE_FAILURES`` failed logins in a row the account is locked for ``LOCK_BASE`` doubling
with every further failure, at most ``LOCK_MAX``; a good login resets the count. While
locked, even the right password is refused (and the message does not say which was wrong).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from ..db import Database

ROLES = ("coordinator", "admin")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024
MAX_NAME = 80
LOG2_N, R, P = 15, 8, 1
SALT_BYTES, KEY_BYTES = 16, 32
FREE_FAILURES = 5
LOCK_BASE = timedelta(seconds=30)
LOCK_MAX = timedelta(hours=1)


class UserError(ValueError):
    """What is wrong with a new account (the message names no password)."""


@dataclass(frozen=True)
class User:
    id: str
    name: str
    role: str
    disabled: bool

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, log2_n: int = LOG2_N, r: int = R, p: int = P) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(password, salt, log2_n, r, p, KEY_BYTES)
    return f"scrypt${log2_n}${r}${p}${_b64(salt)}${_b64(key)}"


def _scrypt(password: str, salt: bytes, log2_n: int, r: int, p: int, length: int) -> bytes:
    n = 2 ** log2_n
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * r * n + 1024 * 1024, dklen=length)


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, log2_n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt" or not 10 <= int(log2_n) <= 20:
            return False
        expected = base64.b64decode(key)
        got = _scrypt(password, base64.b64decode(salt), int(log2_n), int(r), int(p),
                      len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


@cache
def _dummy_hash() -> str:
    """Verified against for an unknown name, so that it costs as much as a known one."""
    return hash_password(secrets.token_urlsafe(16))


def check_new_password(password: str) -> None:
    if not password.strip():
        raise UserError("tomt passord / empty password")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"passordet må ha minst {MIN_PASSWORD} tegn / "
                        f"the password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise UserError("passordet er for langt / the password is too long")


def add_user(db: Database, name: str, role: str, password: str, now: datetime, *,
             log2_n: int = LOG2_N) -> User:
    name = name.strip()
    if not name or len(name) > MAX_NAME or any(not ch.isprintable() for ch in name):
        raise UserError(f"brukernavn må ha 1–{MAX_NAME} tegn / a user name needs 1–{MAX_NAME} "
                        "characters")
    if role not in ROLES:
        raise UserError(f"rolle må være en av / role must be one of: {', '.join(ROLES)}")
    check_new_password(password)
    hashed = hash_password(password, log2_n=log2_n)
    user_id = str(uuid.uuid4())
    with db.transaction() as conn:
        if conn.execute("SELECT 1 FROM console_users WHERE name = ?", (name,)).fetchone():
            raise UserError("brukernavnet finnes allerede / the user name is taken")
        conn.execute("INSERT INTO console_users (id, name, role, password_hash, created_at) "
                     "VALUES (?, ?, ?, ?, ?)", (user_id, name, role, hashed, now.isoformat()))
        db.audit(conn, "console_user", "added", reason=f"user={user_id} role={role}")
    return User(user_id, name, role, False)


def list_users(db: Database) -> list[User]:
    rows = db.query("SELECT id, name, role, disabled_at FROM console_users ORDER BY name")
    return [User(r["id"], r["name"], r["role"], r["disabled_at"] is not None) for r in rows]


def get_user(db: Database, user_id: str) -> User | None:
    rows = db.query("SELECT id, name, role, disabled_at FROM console_users WHERE id = ?",
                    (user_id,))
    return User(rows[0]["id"], rows[0]["name"], rows[0]["role"],
                rows[0]["disabled_at"] is not None) if rows else None


def disable_user(db: Database, user_id: str, now: datetime) -> bool:
    """Deactivate an account and end its sessions; False when there is no such active user."""
    with db.transaction() as conn:
        done = conn.execute("UPDATE console_users SET disabled_at = ? WHERE id = ? AND "
                            "disabled_at IS NULL", (now.isoformat(), user_id)).rowcount
        conn.execute("DELETE FROM console_sessions WHERE user_id = ?", (user_id,))
        if done:
            db.audit(conn, "console_user", "disabled", reason=f"user={user_id}")
    return bool(done)


def lock_delay(failures: int) -> timedelta:
    """How long an account stays locked after this many failures in a row."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    delay: timedelta = LOCK_BASE * 2 ** min(failures - FREE_FAILURES, 20)
    return min(delay, LOCK_MAX)


def authenticate(db: Database, name: str, password: str, now: datetime, *,
                 unknown: Callable[[], None] | None = None) -> User | None:
    """The user, when the name and password are right and the account is neither locked nor
    deactivated; every refusal of an account counts toward its lockout and is audited (by user
    id only). A name no account has is handed to ``unknown`` (the backend counts those per
    client instead of auditing each: ``refusals``), else audited."""
    rows = db.query("SELECT * FROM console_users WHERE name = ?", (name.strip()[:MAX_NAME],))
    if not rows:
        verify_password(password, _dummy_hash())
        if unknown is not None:
            unknown()
        else:
            _audit_login(db, None, "rejected", "unknown")
        return None
    row = rows[0]
    locked = row["locked_until"] is not None and datetime.fromisoformat(row["locked_until"]) > now
    good = verify_password(password[:MAX_PASSWORD], row["password_hash"])
    if locked or row["disabled_at"] is not None or not good:
        if not locked:
            _fail(db, row["id"], now)
        reason = "locked" if locked else "disabled" if row["disabled_at"] else "password"
        _audit_login(db, row["id"], "rejected", reason)
        return None
    with db.transaction() as conn:
        conn.execute("UPDATE console_users SET failed_logins = 0, locked_until = NULL "
                     "WHERE id = ?", (row["id"],))
    _audit_login(db, row["id"], "accepted", "")
    return User(row["id"], row["name"], row["role"], False)


def _fail(db: Database, user_id: str, now: datetime) -> None:
    with db.transaction() as conn:
        conn.execute("UPDATE console_users SET failed_logins = failed_logins + 1 WHERE id = ?",
                     (user_id,))
        failures = conn.execute("SELECT failed_logins FROM console_users WHERE id = ?",
                                (user_id,)).fetchone()[0]
        delay = lock_delay(failures)
        if delay:
            conn.execute("UPDATE console_users SET locked_until = ? WHERE id = ?",
                         ((now + delay).isoformat(), user_id))


def _audit_login(db: Database, user_id: str | None, status: str, why: str) -> None:
    with db.transaction() as conn:
        db.audit(conn, "console_login", status,
                 reason=" ".join(p for p in (f"user={user_id}" if user_id else "", why) if p))
