"""Planning a run: which waiting records are candidates, in what order, and the gate's
judgement of each — one at a time, so a push can judge batch k+1 while batch k is with the
backend.

    planner = Planner(lb, enrolments, now, records=records)
    for record in planner.candidates():     # ordered, routed, nothing judged yet
        p = planner.judge(record)           # Planned, or None when not due after all
    plan(lb, enrolments, now)               # every candidate judged, in order

A consent goes with its case: right after it when the case leaves in this run (the backend
judges a case only on consents it holds, from earlier batches or the same one), or on its own
once the backend holds the case. Candidates keep a case and its consents together, and a
case is judged before its consents, so a consent is judged knowing whether its case left.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from fieldapp.domain import Consent, FollowUpCase, Record, SyncState, to_dict
from fieldapp.domain.consent import ConsentGate
from fieldapp.domain.sensitivity import Sensitivity
from fieldapp.logbook import Logbook

from .enrolment import Enrolment, route
from .ledger import Ledger
from .outbox import WAITING, Planned, consents_by_case, held_for_review
from .protocol import make_item


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


def group_of(record: Record) -> str:
    """The batch group of a record: a case and its consents travel together."""
    return record.case_id if isinstance(record, Consent) else record.id


class Planner:
    """Judges the waiting ``records`` (``Logbook.list`` order) for ``enrolments`` at ``now``.
    ``hold_unreviewed``: see :mod:`sync.outbox`."""

    def __init__(self, lb: Logbook, enrolments: list[Enrolment], now: datetime, *,
                 records: list[Record], respect_backoff: bool = False,
                 gate: ConsentGate | None = None, hold_unreviewed: bool = False) -> None:
        self.enrolments, self.now, self.respect_backoff = enrolments, now, respect_backoff
        self.gate = gate or ConsentGate()
        self.records = records
        self.by_id = {r.id: r for r in records}
        self.by_case = consents_by_case(records)
        self.shared = shared_cases(lb, records)
        ledger = Ledger(lb)
        self.book = ledger.outbox_notes()
        self.reviewed = ledger.reviewed() if hold_unreviewed else None
        self.leaving_cases: set[str] = set()

    def candidates(self) -> list[Record]:
        """The records a run may send, in sending order: every due record but consents, each
        case followed by its waiting consents; consents of cases not in this run last. A
        consent's backoff is judged with it (it travels with a case that leaves now)."""
        due = [r for r in self.records if not isinstance(r, Consent)
               and _due(r, self.book, self.now, self.respect_backoff)]
        by_case: dict[str, list[Record]] = {}
        for r in self.records:
            if isinstance(r, Consent) and r.sync_state in WAITING:
                by_case.setdefault(r.case_id, []).append(r)
        out: list[Record] = []
        for r in due:
            out.append(r)
            if isinstance(r, FollowUpCase):
                out.extend(by_case.pop(r.id, []))
        for rest in by_case.values():
            out.extend(rest)
        return out

    def home_of(self, record: Record) -> str:
        """The municipality whose backend a record goes to (a consent: its case's)."""
        if isinstance(record, Consent):
            case = self.by_id.get(record.case_id)
            return case.municipality if case is not None else record.municipality
        return record.municipality

    def judge(self, record: Record) -> Planned | None:
        """The gate's judgement of one candidate; None for a consent not due after all."""
        if isinstance(record, Consent):
            backoff = self.respect_backoff and record.case_id not in self.leaving_cases
            if not _due(record, self.book, self.now, backoff):
                return None
            consents = self.by_case.get(record.case_id, [])
            shared = record.case_id in self.shared or record.case_id in self.leaving_cases
            return held_for_review(self._judged(record, consents, case_shared=shared),
                                   self.reviewed)
        p = held_for_review(self._judged(record, self.by_case.get(record.id, []),
                                         case_shared=False), self.reviewed)
        if p.leaves and isinstance(record, FollowUpCase):
            self.leaving_cases.add(record.id)
        return p

    def _judged(self, record: Record, consents: list[Consent], *,
                case_shared: bool) -> Planned:
        enrolment = route(self.enrolments, self.home_of(record))
        recipient = enrolment.recipient if enrolment else "slt"
        decision = self.gate.decide(record, consents, recipient, self.now,
                                    case_shared=case_shared)
        item = None
        if enrolment is not None and decision.send_record and decision.payload is not None:
            relied_on = [] if isinstance(record, Consent) else consents
            facts = [_consent_facts(c) for c in relied_on if c.id in decision.consent_ids]
            item = make_item(record.id, record.kind, record.revision, decision.payload,
                             sorted(facts, key=lambda c: c["id"]), decision.basis)
        return Planned(record, decision, enrolment, item)


def plan(lb: Logbook, enrolments: list[Enrolment], now: datetime, *,
         respect_backoff: bool = False, gate: ConsentGate | None = None,
         records: list[Record] | None = None, hold_unreviewed: bool = False) -> list[Planned]:
    """Judge every waiting record, in sending order (:class:`Planner`)."""
    planner = Planner(lb, enrolments, now, records=lb.list() if records is None else records,
                      respect_backoff=respect_backoff, gate=gate,
                      hold_unreviewed=hold_unreviewed)
    return [p for r in planner.candidates() if (p := planner.judge(r)) is not None]


def candidates_by_backend(planner: Planner) -> Iterator[tuple[Enrolment | None, Record]]:
    """Each candidate with the backend it would go to (None: no enrolment covers it)."""
    for record in planner.candidates():
        yield route(planner.enrolments, planner.home_of(record)), record
