"""A hash chain over the audit rows: a changed, removed or inserted row shows.

Each row carries ``prev_hash`` (the row before it's ``row_hash``; ``GENESIS`` for the first)
and ``row_hash`` = SHA-256 over ``prev_hash`` and the row's canonical fields (``seq``, ``at``,
``device_id``, ``event``, ``record_id``, ``revision``, ``hash``, ``status``, ``reason`` as a
compact JSON array). ``Database.audit`` writes it inside the write transaction (one writer at a
time on both databases, so the row before is known and ``seq`` is the next number).
``python -m sync.server audit verify --db …`` recomputes the chain and names the first broken
row (exit 0 when intact, 1 when not). The chain proves the rows agree with each other; rows cut
off the end leave an intact shorter chain, so write down the head hash that ``verify`` prints
now and then (the database's triggers and rights are what keep rows from being removed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from .dialect import Conn

GENESIS = "0" * 64
FIELDS = ("seq", "at", "device_id", "event", "record_id", "revision", "hash", "status", "reason")
_SELECT = ("SELECT seq, at, device_id, event, record_id, revision, hash, status, reason, "
           "prev_hash, row_hash FROM audit ORDER BY seq")


def row_hash(prev_hash: str, fields: tuple[Any, ...]) -> str:
    canonical = json.dumps(list(fields), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def head(conn: Conn) -> tuple[int, str]:
    """The last row's seq and hash (0 and ``GENESIS`` for an empty audit)."""
    row = conn.execute("SELECT seq, row_hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), row[1] or GENESIS)


def append(conn: Conn, values: tuple[Any, ...]) -> None:
    """Insert one audit row (``values`` in ``FIELDS`` order without ``seq``), chained."""
    seq, prev = head(conn)
    fields = (seq + 1, *values)
    conn.execute("INSERT INTO audit (seq, at, device_id, event, record_id, revision, hash, "
                 "status, reason, prev_hash, row_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (*fields, prev, row_hash(prev, fields)))


def chain_existing(conn: Conn) -> int:
    """Chain the rows written before the chain existed (the migration lifts the UPDATE
    trigger around this); returns how many rows were chained."""
    prev, count = GENESIS, 0
    for row in conn.execute(_SELECT).fetchall():
        fields = tuple(row)[:len(FIELDS)]
        digest = row_hash(prev, fields)
        conn.execute("UPDATE audit SET prev_hash = ?, row_hash = ? WHERE seq = ?",
                     (prev, digest, fields[0]))
        prev, count = digest, count + 1
    return count


def chain_step(conn: Conn, dialect: str) -> None:
    """The migration step that chains the rows written before the chain existed."""
    chain_existing(conn)


@dataclass(frozen=True)
class Verdict:
    rows: int
    head: str
    broken_at: int | None = None
    why: str = ""


def verify(conn: Conn) -> Verdict:
    """Recompute the chain; the first row whose links or hash do not hold is named."""
    prev, count = GENESIS, 0
    for row in conn.execute(_SELECT):
        fields = tuple(row)[:len(FIELDS)]
        stored_prev, stored = row[len(FIELDS)], row[len(FIELDS) + 1]
        if stored_prev != prev:
            return Verdict(count, prev, int(fields[0]), "prev_hash")
        if stored != row_hash(prev, fields):
            return Verdict(count, prev, int(fields[0]), "row_hash")
        prev, count = stored, count + 1
    return Verdict(count, prev)


def add_arguments(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                  command: Any) -> None:
    """``audit verify`` under the CLI's subcommands; ``command`` adds a parser with --db."""
    group = sub.add_parser("audit", help="revisjonsloggen / the audit log"
                           ).add_subparsers(dest="action", required=True)
    command("verify", "sjekk hashkjeden / check the hash chain", group)


def run(conn: Conn) -> int:
    """The ``audit verify`` command: 0 when the chain holds, 1 naming the first broken row."""
    verdict = verify(conn)
    if verdict.broken_at is None:
        print(f"revisjonsloggen er hel / the audit chain is intact: {verdict.rows} rader / rows, "
              f"siste hash / head {verdict.head}")
        return 0
    print(f"revisjonsloggen er brutt ved rad / the audit chain is broken at row "
          f"seq={verdict.broken_at} ({verdict.why}); {verdict.rows} rader før den er hele / "
          f"rows before it hold")
    return 1
