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

A consent travels in the same batch as its case (the backend judges a case only on consents it
holds), or on its own once the backend holds the case.
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

from fieldapp.domain import Consent, FollowUpCase, Record, SyncState, to_dict
from fieldapp.domain.codes import WAITING_STATES
from fieldapp.domain.consent import ConsentGate, Decision
from fieldapp.domain.sensitivity import Sensitivity
from fieldapp.errors import RecordNotFound
from fieldapp.logbook import Logbook

from .enrolment import Enrolment, route
from .ledger import Ledger
from .protocol import make_item

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


def _held(p: Planned, reviewed: dict[str, list[str]] | None) -> Planned:
    if reviewed is None or not needs_review(p, reviewed):
        return p
    return dataclasses.replace(p, item=None, held=AWAITING_REVIEW)


def consents_by_case(records: list[Record]) -> dict[str, list[Consent]]:
    by_case: dict[str, list[Consent]] = {}
    for r in records:
        if isinstance(r, Consent):
            by_case.setdefault(r.case_id, []).append(r)
    return by_case


def shared_cases(lb: Logbook, records: list[Record]) -> set[str]:
    known = set(Ledger(lb).shared_cases())
    return known | {r.id for r in records
                    if isinstance(r, FollowUpCase) and r.sync_state == SyncState.SYNCED.value}


def _consent_facts(consent: Consent) -> dict[str, Any]:
    """What a case item carries of each consent it relies on: the shareable facts only."""
    data = to_dict(consent)
    for f in dataclasses.fields(consent):
        if f.metadata["sensitivity"] is Sensitivity.PERSONAL or f.name == "sync_state":
            data.pop(f.name, None)
    return data


def _due(record: Record, book: dict[str, Any], now: datetime, respect_backoff: bool) -> bool:
    if record.sync_state not in WAITING:
        return False
    if respect_backoff and record.sync_state == SyncState.FAILED.value:
        next_at = (book.get(record.id) or {}).get("next_at")
        return not next_at or datetime.fromisoformat(next_at) <= now
    return True


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


def plan(lb: Logbook, enrolments: list[Enrolment], now: datetime, *,
         respect_backoff: bool = False, gate: ConsentGate | None = None,
         records: list[Record] | None = None, hold_unreviewed: bool = False) -> list[Planned]:
    """Judge every waiting record. A consent goes with its case: right after it when the case
    leaves in this run (the backend judges a case only on consents it holds, from earlier
    batches or the same one), or on its own once the backend holds the case. ``group`` keeps
    a case and its consents in one batch. ``hold_unreviewed``: see the module docstring."""
    gate = gate or ConsentGate()
    records = lb.list() if records is None else records
    by_id = {r.id: r for r in records}
    by_case = consents_by_case(records)
    shared = shared_cases(lb, records)
    ledger = Ledger(lb)
    book = ledger.outbox_notes()
    reviewed = ledger.reviewed() if hold_unreviewed else None
    out: list[Planned] = []
    leaving_cases: set[str] = set()
    for record in records:
        if isinstance(record, Consent) or not _due(record, book, now, respect_backoff):
            continue
        p = _held(_judge(gate, record, by_case.get(record.id, []), enrolments,
                         record.municipality, now, case_shared=False), reviewed)
        out.append(p)
        if p.leaves and isinstance(record, FollowUpCase):
            leaving_cases.add(record.id)
    consents = []
    for record in records:
        # A consent travels with a case that leaves now, whatever its own backoff says.
        backoff = respect_backoff and getattr(record, "case_id", "") not in leaving_cases
        if isinstance(record, Consent) and _due(record, book, now, backoff):
            case = by_id.get(record.case_id)
            home = case.municipality if case is not None else record.municipality
            consents.append(_held(_judge(
                gate, record, by_case.get(record.case_id, []), enrolments, home, now,
                case_shared=record.case_id in shared | leaving_cases), reviewed))
    return _grouped(out, consents)


def _judge(gate: ConsentGate, record: Record, consents: list[Consent],
           enrolments: list[Enrolment], home: str, now: datetime, *,
           case_shared: bool) -> Planned:
    enrolment = route(enrolments, home)
    recipient = enrolment.recipient if enrolment else "slt"
    decision = gate.decide(record, consents, recipient, now, case_shared=case_shared)
    item = None
    if enrolment is not None and decision.send_record and decision.payload is not None:
        relied_on = [] if isinstance(record, Consent) else consents
        facts = [_consent_facts(c) for c in relied_on if c.id in decision.consent_ids]
        item = make_item(record.id, record.kind, record.revision, decision.payload,
                         sorted(facts, key=lambda c: c["id"]), decision.basis)
    return Planned(record, decision, enrolment, item)


def _grouped(others: list[Planned], consents: list[Planned]) -> list[Planned]:
    """Each case followed by its consents; consents of cases not in this run last."""
    by_case: dict[str, list[Planned]] = {}
    for p in consents:
        case_id = p.record.case_id if isinstance(p.record, Consent) else ""
        by_case.setdefault(case_id, []).append(p)
    out: list[Planned] = []
    for p in others:
        out.append(p)
        if isinstance(p.record, FollowUpCase):
            out.extend(by_case.pop(p.record.id, []))
    for rest in by_case.values():
        out.extend(rest)
    return out


def group_of(p: Planned) -> str:
    """The batch group of a planned item: a case and its consents travel together."""
    return p.record.case_id if isinstance(p.record, Consent) else p.record.id


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
