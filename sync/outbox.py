"""The consent-gated outbox: which records wait, where each goes and what of it may leave.

Outbox states live on the records (``sync_state``)::

    pending ──► sending ──► synced            (the backend echoed id, revision and hash)
       ▲           ├──────► failed            (no valid answer; retried with backoff)
       │           └──────► quarantined       (the backend rejected it; shown to the officer)
       └── an edit of the record (new revision) starts again at pending

Records the gate holds back completely (a U18 case without consent) stay pending and are
re-judged on every run. An automatic run (``hold_unreviewed``) also leaves on the phone any
record that would carry personal fields the officer has not yet sent from the Synk screen,
where the preview shows exactly what leaves (``AWAITING_REVIEW``); a run the officer starts
there sends it, and the fields sent are remembered (``ledger.REVIEWED``), so later revisions
go automatically unless they carry a personal field not sent before.

Which records a run judges, in what order, is :mod:`sync.planning`.
Bookkeeping for failed and quarantined records (attempts, next try,
reason) and the cases a backend holds are in the ledger (``ledger.OUTBOX``,
``ledger.SHARED_CASES``), written in the same durable write as the states they belong to.
"""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fieldapp.domain import Consent, FollowUpCase, Record, SyncState
from fieldapp.domain.codes import WAITING_STATES
from fieldapp.domain.consent import Decision
from fieldapp.errors import RecordNotFound
from fieldapp.logbook import Logbook

from .enrolment import Enrolment
from .ledger import Ledger

WAITING = WAITING_STATES
NO_BACKEND = "no_backend"
AWAITING_REVIEW = "awaiting_review"
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)


@dataclass(frozen=True)
class Planned:
    """One waiting record: its decision, its backend and (when it leaves) the wire item."""

    record: Record
    decision: Decision | None
    enrolment: Enrolment | None
    item: dict[str, Any] | None
    held: str = ""      # why a record the gate lets out waits anyway (AWAITING_REVIEW)

    @property
    def leaves(self) -> bool:
        return self.item is not None

    @property
    def reason(self) -> str:
        if self.enrolment is None:
            return NO_BACKEND
        if self.held:
            return self.held
        return self.decision.reason if self.decision else ""

    @property
    def personal_fields(self) -> set[str]:
        """The record's top-level fields whose personal content leaves with it under a
        consent or a legal basis. Free text the officer marked free of personal data (and
        the detector found clean) leaves without either and is not counted."""
        d = self.decision
        if d is None or not d.basis:
            return set()
        return {path.split(".")[0].split("[")[0] for path in d.personal_shared}


def needs_review(p: Planned, reviewed: dict[str, list[str]]) -> bool:
    """Would this record carry a personal field out that the officer has not sent before?"""
    return p.leaves and bool(p.personal_fields - set(reviewed.get(p.record.id, ())))


def held_for_review(p: Planned, reviewed: dict[str, list[str]] | None) -> Planned:
    if reviewed is None or not needs_review(p, reviewed):
        return p
    return dataclasses.replace(p, item=None, held=AWAITING_REVIEW)


def consents_by_case(records: list[Record]) -> dict[str, list[Consent]]:
    by_case: dict[str, list[Consent]] = {}
    for r in records:
        if isinstance(r, Consent):
            by_case.setdefault(r.case_id, []).append(r)
    return by_case


def records_to_plan(lb: Logbook) -> list[Record]:
    """What a run judges: the waiting records, and every case and consent (a case is judged
    with all its consents; a consent goes with its case or once the backend holds it), oldest
    first as ``Logbook.list`` gives them. Nothing is decoded when nothing waits."""
    waiting = lb.sync_records.waiting(WAITING_STATES)
    if not waiting:
        return []
    if len(waiting) > lb.count() // 4:  # most of the logbook: decoded once, kept (list())
        wanted = set(waiting)
        return lb.list(where=lambda r: r.id in wanted or isinstance(r, FollowUpCase | Consent))
    chosen = {r.id: r for r in (*lb.list(FollowUpCase), *lb.list(Consent))}
    for record_id in waiting:
        if record_id not in chosen:
            with contextlib.suppress(RecordNotFound):  # deleted meanwhile: nothing to send
                chosen[record_id] = lb.get(record_id)
    return sorted(chosen.values(), key=lambda r: r.created_at)


# -- bookkeeping ----------------------------------------------------------------------------

class Book:
    """Failure and quarantine notes for the outbox; ``changes()`` is what a batch writes
    beside its records' states (one durable write, ``lb.sync_records.set_states``)."""

    def __init__(self, lb: Logbook):
        ledger = Ledger(lb)
        self.notes: dict[str, Any] = ledger.outbox_notes()
        self.shared: list[str] = ledger.shared_cases()
        self.reviewed: dict[str, list[str]] = ledger.reviewed()
        self._dirty = False

    def failed(self, record_id: str, error: str, now: datetime) -> None:
        note = self.notes.get(record_id) or {}
        attempts = int(note.get("attempts", 0)) + 1
        delay = min(BACKOFF_BASE * (2 ** min(attempts - 1, 10)), BACKOFF_MAX)
        self.notes[record_id] = {"state": "failed", "attempts": attempts, "error": error,
                                 "next_at": (now + delay).isoformat()}
        self._dirty = True

    def quarantined(self, record_id: str, reason: str, now: datetime) -> None:
        self.notes[record_id] = {"state": "quarantined", "reason": reason,
                                 "at": now.isoformat()}
        self._dirty = True

    def synced(self, record: Record, personal_fields: set[str] | None = None) -> None:
        """``personal_fields``: the personal fields that left with it (remembered as seen)."""
        if self.notes.pop(record.id, None) is not None:
            self._dirty = True
        known = set(self.reviewed.get(record.id, ()))
        if personal_fields and not personal_fields <= known:
            self.reviewed[record.id] = sorted(known | personal_fields)
            self._dirty = True
        if isinstance(record, FollowUpCase) and record.id not in self.shared:
            self.shared.append(record.id)
            self._dirty = True

    def changes(self) -> dict[str, Any]:
        """The ledger keys to write with the batch's states ({} when nothing changed)."""
        return Ledger.outbox_changes(self.notes, self.shared, self.reviewed) \
            if self._dirty else {}


def quarantined(lb: Logbook) -> list[tuple[Record, str]]:
    """Records the backend rejected, with the reason code, for the officer to look at."""
    notes = Ledger(lb).outbox_notes()
    return [(r, (notes.get(r.id) or {}).get("reason", "rejected"))
            for r in lb.list(where=lambda r: r.sync_state == SyncState.QUARANTINED.value)]
