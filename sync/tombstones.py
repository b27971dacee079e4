"""Sending deletions: the phone's tombstones go to the backend that holds the record.

After the push phases of a run, each pending tombstone (``Logbook.tombstones()``) goes to the
enrolment of its municipality (``enrolment.route``) as ``POST /v1/tombstones``
``{"items": [{id, kind, revision, municipality}]}``. A tombstone is forgotten only when the
reply echoes its id and revision with ``accepted`` or ``duplicate``; anything else (no
backend, a failed call, a malformed reply, ``rejected``) keeps it for the next run.

A record that never left the phone needs no tombstone on the wire (and sending one would tell
the municipality that a U18 case existed): a tombstone is dropped without a call when the
record was still ``pending``, never failed or was refused (no note in ``sync.outbox``), was
never acknowledged as a shared case, and was deleted at revision 1 — or was a follow-up case,
since a case reaches the backend only through an acknowledgement or a failed call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fieldapp.domain import SyncState
from fieldapp.logbook import Logbook
from fieldapp.tombstones import Tombstone

from .enrolment import Enrolment, route
from .errors import Cancelled
from .ledger import Ledger
from .protocol import API, parse_tombstone_reply
from .transport import Transport

log = logging.getLogger(__name__)

ACKNOWLEDGED = frozenset({"accepted", "duplicate"})


def never_left(stone: Tombstone, notes: dict[str, Any], shared: set[str]) -> bool:
    """True when the deleted record cannot be on any backend (see the module docstring)."""
    if stone.state != SyncState.PENDING.value or stone.id in notes or stone.id in shared:
        return False
    return stone.revision == 2 or stone.kind == "follow_up_case"


def _split(lb: Logbook) -> tuple[list[Tombstone], list[Tombstone]]:
    ledger = Ledger(lb)
    notes, shared = ledger.outbox_notes(), set(ledger.shared_cases())
    leaving: list[Tombstone] = []
    silent: list[Tombstone] = []
    for stone in lb.tombstones():
        (silent if never_left(stone, notes, shared) else leaving).append(stone)
    return leaving, silent


def waiting_tombstones(lb: Logbook) -> list[Tombstone]:
    """The deletions a backend still has to hear about (for the Synk screen)."""
    return _split(lb)[0]


def tombstones_to_send(lb: Logbook, all_enrolments: list[Enrolment],
                       ) -> dict[str, tuple[Enrolment, list[Tombstone]]]:
    """The waiting deletions by backend url. Deletions of records that never left the phone
    are acknowledged here: no backend has anything to delete."""
    leaving, silent = _split(lb)
    if silent:
        lb.acknowledge_tombstones([(t.id, t.revision) for t in silent])
    by_url: dict[str, tuple[Enrolment, list[Tombstone]]] = {}
    for stone in leaving:
        enrolment = route(all_enrolments, stone.municipality)
        if enrolment is not None:
            by_url.setdefault(enrolment.url, (enrolment, []))[1].append(stone)
    return by_url


def send_tombstones(lb: Logbook, transport: Transport, enrolment: Enrolment,
                    stones: list[Tombstone], *, batch_size: int,
                    cancel: Callable[[], bool] = lambda: False) -> int:
    """Send one backend its deletions in batches; returns how many it acknowledged. Raises
    SyncError (Cancelled when cancelled) and stops there."""
    sent = 0
    for start in range(0, len(stones), batch_size):
        if cancel():
            raise Cancelled("cancelled")
        sent += _send_batch(lb, transport, enrolment, stones[start:start + batch_size])
    return sent


def _send_batch(lb: Logbook, transport: Transport, enrolment: Enrolment,
                stones: list[Tombstone]) -> int:
    reply = transport.call("POST", enrolment.url + API + "/tombstones", token=enrolment.token,
                           idempotent=True, body={"items": [t.wire() for t in stones]},
                           verify=enrolment.verify)
    results = {r.id: r for r in parse_tombstone_reply(reply)}
    acknowledged = []
    for stone in stones:
        result = results.get(stone.id)
        if result is None or result.revision != stone.revision:
            log.warning("sync.tombstone status=no_valid_echo record=%s", stone.id)
        elif result.status in ACKNOWLEDGED:
            acknowledged.append((stone.id, stone.revision))
        else:
            log.warning("sync.tombstone status=rejected record=%s reason=%s", stone.id,
                        result.reason or "rejected")
    done = lb.acknowledge_tombstones(acknowledged) if acknowledged else []
    return sum(done)
