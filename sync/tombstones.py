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
from typing import Any

from fieldapp.domain import SyncState
from fieldapp.logbook import Logbook
from fieldapp.tombstones import Tombstone

from .enrolment import Enrolment, route
from .errors import Cancelled, SyncError
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
    leaving, silent = [], []
    for stone in lb.tombstones():
        (silent if never_left(stone, notes, shared) else leaving).append(stone)
    return leaving, silent


def waiting_tombstones(lb: Logbook) -> list[Tombstone]:
    """The deletions a backend still has to hear about (for the Synk screen)."""
    return _split(lb)[0]


def send_tombstones(run: Any, transport: Transport, all_enrolments: list[Enrolment]) -> int:
    """Send every waiting tombstone; returns how many were acknowledged. ``run`` is the sync
    run (``lb``, ``report``, ``down``, ``cancel``, ``batch_size``)."""
    leaving, silent = _split(run.lb)
    if silent:
        run.lb.acknowledge_tombstones([(t.id, t.revision) for t in silent])
    by_url: dict[str, list[Tombstone]] = {}
    targets: dict[str, Enrolment] = {}
    for stone in leaving:
        enrolment = route(all_enrolments, stone.municipality)
        if enrolment is not None and enrolment.url not in run.down:
            by_url.setdefault(enrolment.url, []).append(stone)
            targets[enrolment.url] = enrolment
    sent = 0
    for url, stones in by_url.items():
        try:
            for start in range(0, len(stones), run.batch_size):
                if run.cancel():
                    raise Cancelled("cancelled")
                sent += _send_batch(run, transport, targets[url],
                                    stones[start:start + run.batch_size])
        except Cancelled:
            raise
        except SyncError as exc:
            run.report.errors[targets[url].municipality] = exc.code
            run.down.add(url)
            log.warning("sync.tombstones status=failed error=%s", type(exc).__name__)
    return sent


def _send_batch(run: Any, transport: Transport, enrolment: Enrolment,
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
    done = run.lb.acknowledge_tombstones(acknowledged) if acknowledged else []
    return sum(done)
