"""One sync run: push what the consent gate lets go, pull reference data, purge old details.

    report = sync_now(lb, progress=lambda done, total: ..., cancel=lambda: False)
    report.sent / report.withheld / report.failed / report.quarantined / report.errors

Runs are single-flight per logbook: a second caller waits for the running one and gets its
report (``joined=True``). Each backend is handled on its own: one being down (or refusing
this device) is an entry in ``report.errors`` and does not hold back the others.

Deadlines: a call ends by ``call_deadline`` (60 s for connect, request, the whole reply and
its retries; then that backend is ``timed_out`` for the run), the run by ``deadline``
(``RUN_DEADLINE``, 5 minutes: a first sync of thousands of records takes well under a minute,
so five leave room for a slow network, never for a backend that drips). At the run's deadline
it stops as a cancel does (``run_timed_out``); a cancel or deadline ends even a read in
progress (``sync.deadline``). What the backend did not confirm stays waiting for next time.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import requests

from fieldapp.domain import Record, SyncState
from fieldapp.domain.consent import Withheld
from fieldapp.logbook import Logbook
from fieldapp.store.collector import collector_paused

from .enrolment import Enrolment, enrolments, update_enrolments
from .errors import Cancelled, RunTimedOut, SyncError
from .ledger import Ledger
from .outbox import Planned, records_to_plan
from .planning import Planner, candidates_by_backend
from .push import BatchPusher, Outcome
from .reference import pull_reference
from .retention import purge_if_due
from .tombstones import send_tombstones, tombstones_to_send
from .transport import CALL_DEADLINE, DEFAULT_TIMEOUT, Transport, new_session, pin_server

log = logging.getLogger(__name__)

DEFAULT_BATCH = 200  # records per push; 200 against 100: ~25 % more records/s, half the writes
RUN_DEADLINE = 300.0   # seconds for a whole run (see the module docstring)


@dataclass(frozen=True)
class WithheldRecord:
    id: str
    kind: str
    reason: str


@dataclass(frozen=True)
class FailedRecord:
    id: str
    kind: str
    error: str


@dataclass
class SyncReport:
    started_at: datetime
    finished_at: datetime | None = None
    sent: list[str] = field(default_factory=list)
    withheld: list[WithheldRecord] = field(default_factory=list)
    fields_withheld: dict[str, tuple[Withheld, ...]] = field(default_factory=dict)
    failed: list[FailedRecord] = field(default_factory=list)
    quarantined: list[WithheldRecord] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    pulled: int = 0
    purged: list[str] = field(default_factory=list)
    tombstones_sent: int = 0
    round_trips: int = 0
    cancelled: bool = False
    joined: bool = False

    @property
    def ok(self) -> bool:
        return not (self.failed or self.errors or self.cancelled)

    def summary(self) -> dict[str, Any]:
        """Counts and codes only (no content): stored as ``sync.last_run`` for the screen."""
        return {"at": (self.finished_at or self.started_at).isoformat(), "sent": len(self.sent),
                "withheld": len(self.withheld), "failed": len(self.failed),
                "quarantined": len(self.quarantined), "errors": dict(self.errors),
                "pulled": self.pulled, "purged": len(self.purged), "cancelled": self.cancelled,
                "tombstones_sent": self.tombstones_sent}


@dataclass
class _Flight:
    done: threading.Event = field(default_factory=threading.Event)
    report: SyncReport | None = None


_flights: dict[int, _Flight] = {}
_flights_lock = threading.Lock()


def sync_now(lb: Logbook, *, progress: Callable[[int, int], None] | None = None,
             cancel: Callable[[], bool] | None = None,
             clock: Callable[[], datetime] = lambda: datetime.now(UTC),
             session_factory: Callable[[], requests.Session] = new_session,
             timeout: tuple[float, float] = DEFAULT_TIMEOUT, retries: int = 2,
             backoff: float = 0.5, batch_size: int | None = None,
             respect_backoff: bool = False, purge: bool = True,
             automatic: bool = False, deadline: float = RUN_DEADLINE,
             call_deadline: float = CALL_DEADLINE) -> SyncReport:
    """Run one sync now (the officer's "Synk nå"); see the module docstring. ``automatic``:
    a background run, which leaves personal fields not yet sent from the Synk screen on the
    phone (``outbox.AWAITING_REVIEW``). ``deadline`` and ``call_deadline`` are seconds."""
    with _flights_lock:
        flight = _flights.get(id(lb))
        leader = flight is None
        if leader:
            flight = _flights[id(lb)] = _Flight()
    assert flight is not None
    if not leader:
        flight.done.wait()
        if flight.report is None:
            return SyncReport(started_at=clock(), joined=True, errors={"": "run_failed"})
        return dataclasses.replace(flight.report, joined=True)
    try:
        run = _Run(lb, progress or (lambda done, total: None), cancel or (lambda: False),
                   clock, batch_size or Ledger(lb).batch_size(DEFAULT_BATCH),
                   respect_backoff, automatic)
        session = session_factory()
        try:
            transport = Transport(session, timeout=timeout, retries=retries, backoff=backoff,
                                  cancel=run.cancel, call_deadline=call_deadline,
                                  ends_at=time.monotonic() + deadline)
            flight.report = run.execute(transport, purge=purge)
        finally:
            session.close()
        return flight.report
    finally:
        with _flights_lock:
            _flights.pop(id(lb), None)
        flight.done.set()


class _Run:
    def __init__(self, lb: Logbook, progress: Callable[[int, int], None],
                 cancel: Callable[[], bool], clock: Callable[[], datetime], batch_size: int,
                 respect_backoff: bool, automatic: bool = False):
        self.lb = lb
        self.progress = progress
        self.cancel = cancel
        self.clock = clock
        self.batch_size = max(1, min(batch_size, 500))
        self.respect_backoff = respect_backoff
        self.automatic = automatic
        self.report = SyncReport(started_at=clock())
        self.down: set[str] = set()
        self.done = 0
        self.total = 0
        self.records: list[Record] = []

    def execute(self, transport: Transport, *, purge: bool) -> SyncReport:
        started = time.monotonic()
        all_enrolments = enrolments(self.lb)
        for e in all_enrolments:
            pin_server(transport.session, e.url, e.fingerprint)
        if not all_enrolments:
            self.report.errors[""] = "not_enrolled"
        self.records = records_to_plan(self.lb)
        try:
            with collector_paused():  # thousands of items, decisions and replies, no cycles
                self._phase(transport, all_enrolments)
            self._send_deletions(transport, all_enrolments)
            self._pull(transport, all_enrolments)
        except Cancelled as exc:   # RunTimedOut: in report.errors of the backend it hit
            self.report.cancelled = not isinstance(exc, RunTimedOut)
        if purge and not self.report.cancelled:
            self.report.purged = purge_if_due(self.lb, self.clock())
        self._finish(all_enrolments, transport, started)
        return self.report

    def _phase(self, transport: Transport, all_enrolments: list[Enrolment]) -> None:
        """Judge and push each backend's candidates, judging batch k+1 while batch k is with
        the backend. Candidates no backend takes now are judged for the report only."""
        planner = Planner(self.lb, all_enrolments, self.clock(), records=self.records,
                          respect_backoff=self.respect_backoff, hold_unreviewed=self.automatic)
        leaving: dict[str, list[Record]] = {}
        for enrolment, record in candidates_by_backend(planner):
            if enrolment is not None and enrolment.url not in self.down:
                leaving.setdefault(enrolment.url, []).append(record)
            elif (p := planner.judge(record)) is not None:
                self._note_decision(p)
        self.total += sum(len(v) for v in leaving.values())
        self.progress(self.done, self.total)
        by_url = {e.url: e for e in all_enrolments}
        for url, records in leaving.items():
            pusher = BatchPusher(self.lb, transport, by_url[url], clock=self.clock,
                                 batch_size=self.batch_size, cancel=self.cancel,
                                 progress=self.advance)
            result = pusher.push_candidates(records, planner.judge, self._judged)
            self._fold(result.outcomes)
            for record in result.unjudged:  # the backend stopped: judged for the report
                if (p := planner.judge(record)) is not None and not p.leaves:
                    self._note_decision(p)
            if result.error is not None:
                self._backend_failed("push", by_url[url], result.error)

    def _judged(self, p: Planned | None) -> None:
        """A candidate judged on its way out: one that stays leaves the progress total."""
        if p is not None and p.leaves:
            return
        if p is not None:
            self._note_decision(p)
        self.total -= 1
        self.progress(self.done, self.total)

    def _send_deletions(self, transport: Transport, all_enrolments: list[Enrolment]) -> None:
        for url, (enrolment, stones) in tombstones_to_send(self.lb, all_enrolments).items():
            if url in self.down:
                continue
            try:
                self.report.tombstones_sent += send_tombstones(
                    self.lb, transport, enrolment, stones, batch_size=self.batch_size,
                    cancel=self.cancel)
            except SyncError as exc:
                self._backend_failed("tombstones", enrolment, exc)

    def _backend_failed(self, step: str, enrolment: Enrolment, error: SyncError) -> None:
        """A backend that failed is left alone for the rest of the run (Cancelled stops it)."""
        if isinstance(error, Cancelled) and not isinstance(error, RunTimedOut):
            raise error
        self.report.errors[enrolment.municipality] = error.code
        self.down.add(enrolment.url)
        log.warning("sync.%s status=failed error=%s", step, type(error).__name__)
        if isinstance(error, RunTimedOut):
            raise error

    def _fold(self, outcomes: list[Outcome]) -> None:
        """Each sent record's outcome into the report."""
        for o in outcomes:
            if o.state is SyncState.SYNCED:
                self.report.sent.append(o.record_id)
            elif o.state is SyncState.FAILED:
                self.report.failed.append(FailedRecord(o.record_id, o.kind, o.reason))
            elif o.state is SyncState.QUARANTINED:
                self.report.quarantined.append(WithheldRecord(o.record_id, o.kind, o.reason))
            else:
                self.report.withheld.append(WithheldRecord(o.record_id, o.kind, o.reason))

    def _note_decision(self, p: Planned) -> None:
        r = p.record
        if not p.leaves:
            self.report.withheld.append(WithheldRecord(r.id, r.kind, p.reason))
            if r.sync_state != SyncState.PENDING.value:
                self.lb.sync_records.set_state(r.id, SyncState.PENDING, revision=r.revision)
        elif p.decision is not None and p.decision.withheld:
            self.report.fields_withheld[r.id] = p.decision.withheld

    def advance(self, count: int) -> None:
        self.done += count
        self.progress(self.done, self.total)

    def _pull(self, transport: Transport, all_enrolments: list[Enrolment]) -> None:
        for e in all_enrolments:
            if e.url in self.down:
                continue
            try:
                pulled = pull_reference(transport, self.lb, e, self.clock())
            except SyncError as exc:
                self._backend_failed("pull", e, exc)
            else:
                self.report.pulled += pulled.applied
                if pulled.error:  # beyond the caps: reported, the backend stays in the run
                    self.report.errors.setdefault(e.municipality, pulled.error)

    def _finish(self, all_enrolments: list[Enrolment], transport: Transport,
                started: float) -> None:
        report = self.report
        report.finished_at = self.clock()
        report.round_trips = transport.round_trips
        stamp = report.finished_at.isoformat()
        fresh = {e.municipality: e for e in enrolments(self.lb)}
        changed = []
        for e in all_enrolments:
            current = fresh.get(e.municipality, e)
            current.last_error = report.errors.get(e.municipality, "")
            if e.url not in self.down:
                current.last_sync_at = stamp
            changed.append(current)
        update_enrolments(self.lb, changed, also=Ledger.last_run_changes(report.summary()))
        log.info("sync.run sent=%d withheld=%d failed=%d quarantined=%d ms=%.0f",
                 len(report.sent), len(report.withheld), len(report.failed),
                 len(report.quarantined), (time.monotonic() - started) * 1000)
