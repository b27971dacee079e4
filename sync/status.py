"""What the Synk screen shows: waiting records and deletions, a preview of what leaves and
what stays (per record, with the reason), quarantined records, enrolments and the last run.

Labels carry only shareable facts (kind, place, school, event type, date), never names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fieldapp.domain import Record, SyncState
from fieldapp.domain.codes import WAITING_STATES
from fieldapp.domain.consent import Withheld
from fieldapp.logbook import Logbook

from .enrolment import Enrolment, enrolments
from .ledger import Ledger
from .outbox import Planned, needs_review
from .planning import plan
from .tombstones import waiting_tombstones

_LABEL_FIELDS = ("place", "school", "event_type")


@dataclass(frozen=True)
class PreviewItem:
    record_id: str
    kind: str
    label: str
    when: datetime
    leaves: bool
    destination: str
    reason: str = ""
    shared_personal: tuple[str, ...] = ()
    withheld: tuple[Withheld, ...] = ()
    basis: str = ""
    first_time: bool = False   # personal fields not sent before: waits for "Synk nå"


@dataclass(frozen=True)
class QuarantinedItem:
    record_id: str
    kind: str
    label: str
    reason: str


@dataclass
class SyncStatus:
    enrolments: list[Enrolment]
    waiting: int
    failed: int
    items: list[PreviewItem] = field(default_factory=list)
    quarantined: list[QuarantinedItem] = field(default_factory=list)
    last_run: dict[str, Any] | None = None
    deletions: int = 0          # deleted records a backend has not acknowledged yet (in waiting)


def label_of(record: Record) -> str:
    return next((str(getattr(record, name)) for name in _LABEL_FIELDS
                 if getattr(record, name, "")), "")


def _item(p: Planned, reviewed: dict[str, list[str]]) -> PreviewItem:
    r, d = p.record, p.decision
    return PreviewItem(r.id, r.kind, label_of(r), r.created_at, p.leaves,
                       p.enrolment.server_name if p.enrolment else "",
                       "" if p.leaves else p.reason,
                       d.personal_shared if d and p.leaves else (),
                       d.withheld if d and p.leaves else (),
                       d.basis if d and p.leaves else "",
                       needs_review(p, reviewed))


def preview(lb: Logbook, now: datetime | None = None,
            records: list[Record] | None = None) -> list[PreviewItem]:
    """Every waiting record as "Synk nå" would send it: does it leave, where to, what of it
    leaves and what stays, and whether its personal fields leave for the first time."""
    moment = now or datetime.now(UTC)
    reviewed = Ledger(lb).reviewed()
    return [_item(p, reviewed) for p in plan(lb, enrolments(lb), moment, records=records)]


def waiting_count(lb: Logbook, records: list[Record] | None = None) -> int:
    """Records and deletions waiting to sync: the one number Home, Synk and the outbox share
    (records in ``WAITING_STATES``, deletions no backend has acknowledged)."""
    waiting = (len(lb.sync_records.waiting(WAITING_STATES)) if records is None
               else _waiting_records(records))  # without records: no record is decoded
    return waiting + len(waiting_tombstones(lb))


def _waiting_records(records: list[Record]) -> int:
    return sum(1 for r in records if r.sync_state in WAITING_STATES)


def sync_status(lb: Logbook, now: datetime | None = None,
                clock: Callable[[], datetime] | None = None) -> SyncStatus:
    moment = now or (clock() if clock else datetime.now(UTC))
    records = lb.list()
    items = preview(lb, moment, records)
    ledger = Ledger(lb)
    notes = ledger.outbox_notes()
    deletions = len(waiting_tombstones(lb))
    quarantined = [QuarantinedItem(r.id, r.kind, label_of(r),
                                   (notes.get(r.id) or {}).get("reason", "rejected"))
                   for r in records if r.sync_state == SyncState.QUARANTINED]
    # every failed record is waiting, so in the preview: counted from the records read above
    return SyncStatus(enrolments=enrolments(lb), waiting=_waiting_records(records) + deletions,
                      failed=sum(1 for r in records if r.sync_state == SyncState.FAILED),
                      items=items, quarantined=quarantined,
                      last_run=ledger.last_run(), deletions=deletions)
