"""Refused attempts (wrong enrolment codes, throttled clients), counted instead of listed.

An attacker guessing codes must not be able to grow the append-only audit without bound. So:

- the first refusal of a client in an hour writes ONE audit row (event, status ``refused``,
  the reason and the client's pseudonym), for at most ``MAX_AUDITED_CLIENTS`` clients an hour
  per event; the other refusals of that hour only count;
- the counts are kept in memory and written to the ``refusals`` table (hour, event, client,
  reason, count, first/last time) by ``flush()`` — at most once a minute while refusals come
  in, and when the backend stops; at most ``MAX_COUNTED_CLIENTS`` clients an hour per event
  get rows of their own, the rest are counted under ``*``.

A client is kept as a pseudonym (a keyed hash of its throttle key; the key is a random secret
of this database, in ``meta``): the audit cannot be purged, so it must not hold addresses, yet
the same address gives the same pseudonym, which is what shows an attack.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime

from .db import Database

MAX_AUDITED_CLIENTS = 50
MAX_COUNTED_CLIENTS = 1000
FLUSH_EVERY = 60.0
OTHERS = "*"
Key = tuple[str, str, str, str]     # hour, event, client, reason


class RefusalLog:
    def __init__(self, db: Database, now: Callable[[], datetime], *,
                 monotonic: Callable[[], float] = time.monotonic):
        self.db, self.now, self.monotonic = db, now, monotonic
        self._counts: dict[Key, list[str | int]] = {}   # key -> [count, first_at, last_at]
        self._clients: dict[tuple[str, str], set[str]] = {}   # (hour, event) -> clients
        self._audited: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        self._last_flush = monotonic()
        self._secret: bytes | None = None

    def pseudonym(self, client: str) -> str:
        if self._secret is None:
            with self.db.transaction() as conn:
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('refusal_key', ?)",
                             (secrets.token_hex(32),))
                self._secret = bytes.fromhex(conn.execute(
                    "SELECT value FROM meta WHERE key = 'refusal_key'").fetchone()[0])
        return hmac.new(self._secret, client.encode(), hashlib.sha256).hexdigest()[:16]

    def record(self, event: str, client: str, reason: str) -> None:
        """Count one refused attempt of ``client`` (a throttle key, never stored as it is)."""
        moment = self.now()
        hour, at = moment.strftime("%Y-%m-%dT%H"), moment.isoformat()
        name = self.pseudonym(client)
        with self._lock:
            self._clients = {k: v for k, v in self._clients.items() if k[0] == hour}
            self._audited = {k: v for k, v in self._audited.items() if k[0] == hour}
            seen = self._clients.setdefault((hour, event), set())
            first = name not in seen
            if first and len(seen) >= MAX_COUNTED_CLIENTS:
                name, first = OTHERS, OTHERS not in seen
            seen.add(name)
            entry = self._counts.setdefault((hour, event, name, reason), [0, at, at])
            entry[0] = int(entry[0]) + 1
            entry[2] = at
            audit = first and self._audited.get((hour, event), 0) < MAX_AUDITED_CLIENTS
            if audit:
                self._audited[(hour, event)] = self._audited.get((hour, event), 0) + 1
            due = self.monotonic() - self._last_flush >= FLUSH_EVERY
        if audit:
            with self.db.transaction() as conn:
                self.db.audit(conn, event, "refused",
                              reason=f"{reason}; client={name}; further refusals this hour "
                                     f"are counted in the refusals table")
        if due:
            self.flush()

    def flush(self) -> int:
        """Write the counts gathered so far; returns how many rows were touched."""
        with self._lock:
            counts, self._counts = self._counts, {}
            self._last_flush = self.monotonic()
        if not counts:
            return 0
        with self.db.transaction() as conn:
            for (hour, event, client, reason), (count, first_at, last_at) in counts.items():
                conn.execute(
                    "INSERT INTO refusals (hour, event, client, reason, count, first_at, "
                    "last_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hour, event, client, "
                    "reason) DO UPDATE SET count = refusals.count + excluded.count, "
                    "last_at = excluded.last_at",
                    (hour, event, client, reason, count, first_at, last_at))
        return len(counts)
