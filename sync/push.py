"""Pushing one backend's share of the outbox in batches, two batches in flight at a time.

While the backend checks and stores batch k+1, the phone records the results of batch k, so
the phone's and the backend's work overlap. The session is used from one worker thread only.
A batch whose call fails marks its records ``failed`` and stops this backend for the run; the
batch already in flight is still settled, so nothing is lost or left half-recorded.

``push_candidates`` judges each batch as it goes and returns what became of each record
(``Outcome``) and the error that stopped the backend, if any; the run folds the outcomes into
its report. Each batch's states and outbox notes are one durable write.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from fieldapp.domain import Record, SyncState
from fieldapp.logbook import Logbook
from fieldapp.sync_records import StateChange

from .enrolment import Enrolment
from .errors import Cancelled, ProtocolError, SyncError
from .outbox import Book, Planned
from .planning import group_of
from .protocol import API, ItemResult, parse_push_reply
from .transport import Transport, encode_body

log = logging.getLogger(__name__)

T = TypeVar("T")
InFlight = tuple[list[Planned], "Future[Any]"]


# Reasons the backend gives for something that can become right by itself: retried with
# backoff, not quarantined (a phone clock a few minutes fast, a consent given "just now").
RETRYABLE_REASONS = frozenset({"consent_not_yet_given"})
# A consent whose case the backend does not hold (the case was refused in the same batch)
# waits on the phone as if the gate had held it back: it goes with the case next time.
WAITS_FOR_CASE = "case_not_shared"


def batched(items: list[T], size: int, group: Callable[[T], str]) -> list[list[T]]:
    """Batches of at most ``size`` items that never split a case from its consents (a group
    larger than ``size`` goes alone)."""
    batches: list[list[T]] = []
    current: list[T] = []
    for _, members_of in itertools.groupby(items, key=group):
        members = list(members_of)
        if current and len(current) + len(members) > size:
            batches.append(current)
            current = []
        current.extend(members)
    if current:
        batches.append(current)
    return batches


@dataclass(frozen=True)
class Outcome:
    """What became of one record that was sent: ``SYNCED`` (stored by the backend),
    ``FAILED`` (retried later, ``reason`` the error), ``QUARANTINED`` (refused, ``reason``
    the backend's) or ``PENDING`` (waits on the phone for its case, ``reason`` why)."""

    record_id: str
    kind: str
    revision: int
    state: SyncState
    reason: str = ""


@dataclass
class PushResult:
    outcomes: list[Outcome] = field(default_factory=list)
    error: SyncError | None = None   # what stopped this backend for the run (Cancelled too)
    unjudged: list[Record] = field(default_factory=list)  # candidates left after the error


class BatchPusher:
    def __init__(self, lb: Logbook, transport: Transport, enrolment: Enrolment, *,
                 clock: Callable[[], datetime], batch_size: int,
                 cancel: Callable[[], bool] = lambda: False,
                 progress: Callable[[int], None] = lambda settled: None):
        self.lb = lb
        self.transport = transport
        self.enrolment = enrolment
        self.clock = clock
        self.batch_size = batch_size
        self.cancel = cancel
        self.progress = progress

    def push_candidates(self, candidates: list[Record],
                        judge: Callable[[Record], Planned | None],
                        judged: Callable[[Planned | None], None] = lambda p: None
                        ) -> PushResult:
        """Judge and send ``candidates`` batch by batch: batch k+1 is judged (``judge``;
        ``judged`` is told of each judgement) while batch k is with the backend. Stop at the
        first SyncError (Cancelled when cancelled), after settling the batch already in
        flight; the candidates not judged by then are in ``unjudged``."""
        result = PushResult()
        in_flight: InFlight | None = None
        batches = batched(candidates, self.batch_size, group_of)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-push") as pool:
            for k, batch in enumerate([*batches, None]):
                upcoming = None
                if batch is not None and result.error is None:
                    if self.cancel():
                        result.error = Cancelled("cancelled")
                    else:
                        sending = self._unchanged(self._judge(batch, judge, judged))
                        upcoming = (sending, pool.submit(self._post, sending,
                                                         self._body(sending)))
                if in_flight is not None:
                    outcomes, error = self._settle_batch(
                        *in_flight, next_batch=upcoming[0] if upcoming else [])
                    result.outcomes += outcomes
                    result.error = result.error or error
                if result.error is not None and batch is not None and upcoming is None:
                    result.unjudged = [r for b in batches[k:] for r in b]
                    break
                in_flight = upcoming
        return result

    @staticmethod
    def _judge(batch: list[Record], judge: Callable[[Record], Planned | None],
               judged: Callable[[Planned | None], None]) -> list[Planned]:
        leaving = []
        for record in batch:
            p = judge(record)
            judged(p)
            if p is not None and p.leaves:
                leaving.append(p)
        return leaving

    def _unchanged(self, batch: list[Planned]) -> list[Planned]:
        """The planned items whose record is still stored at the planned revision (an edit
        made meanwhile waits for the next run as a new revision); read, nothing written."""
        stored = self.lb.sync_records.revisions(p.record.id for p in batch)
        return [p for p in batch if stored.get(p.record.id) == p.record.revision]

    @staticmethod
    def _body(sending: list[Planned]) -> bytes | None:
        """The batch's request body, encoded by the thread that judged it: the worker then
        only waits on the network, and sends the next batch the moment the last is answered."""
        return encode_body({"items": [p.item for p in sending]}) if sending else None

    def _post(self, sending: list[Planned], body: bytes | None) -> Any:
        """The backend's reply to the batch, read on the worker thread; its checks are the
        settling thread's (``_results``)."""
        if body is None:
            return {"results": []}
        return self.transport.call("POST", self.enrolment.url + API + "/push",
                                   token=self.enrolment.token, idempotent=True, body=body,
                                   verify=self.enrolment.verify)

    @staticmethod
    def _results(reply: Any) -> list[ItemResult]:
        results = parse_push_reply(reply)
        if len({r.id for r in results}) != len(results):
            raise ProtocolError("duplicate results")
        return results

    def _settle_batch(self, sending: list[Planned], future: Future[Any], *,
                      next_batch: list[Planned]) -> tuple[list[Outcome], SyncError | None]:
        now = self.clock()
        book = Book(self.lb)
        try:
            results = self._results(future.result())
        except SyncError as exc:
            outcomes = [self._fail(book, p.record, exc.code, now) for p in sending]
            return self._record(book, outcomes, next_batch), exc
        by_id = {r.id: r for r in results}
        outcomes = [self._settle(book, p, by_id.get(p.record.id), now) for p in sending]
        recorded = self._record(book, outcomes, next_batch)
        self.progress(len(sending))
        return recorded, None

    def _record(self, book: Book, outcomes: list[Outcome],
                next_batch: list[Planned]) -> list[Outcome]:
        """Write the batch's states, the outbox notes and ``sending`` for the batch now in
        flight in one durable write: one write per batch. A record whose state could not be
        set (edited meanwhile: a new revision waits anyway) counts as sent only when it was
        marked synced. A batch in flight that is never settled (the app stopped) is sent
        again at the next run: the backend answers ``duplicate`` for what it holds."""
        changes: list[StateChange] = [(o.record_id, o.state, o.revision) for o in outcomes]
        changes += [(p.record.id, SyncState.SENDING, p.record.revision) for p in next_batch]
        marked = self.lb.sync_records.set_states(changes, settings=book.changes())
        return [o for o, ok in zip(outcomes, marked[:len(outcomes)], strict=True)
                if ok or o.state is not SyncState.SYNCED]

    def _settle(self, book: Book, p: Planned, result: ItemResult | None,
                now: datetime) -> Outcome:
        r, item = p.record, p.item or {}
        echoed = (result is not None and result.revision == r.revision
                  and result.hash == item.get("hash"))
        if result is None or not echoed:
            return self._fail(book, r, "no_valid_echo", now)
        if result.status in ("accepted", "duplicate"):
            book.synced(r, p.personal_fields)
            return Outcome(r.id, r.kind, r.revision, SyncState.SYNCED)
        if result.status == "rejected" and result.reason in RETRYABLE_REASONS:
            return self._fail(book, r, result.reason, now)
        if result.status == "rejected" and result.reason == WAITS_FOR_CASE:
            return Outcome(r.id, r.kind, r.revision, SyncState.PENDING, WAITS_FOR_CASE)
        reason = "conflict" if result.status == "conflict" else result.reason or "rejected"
        book.quarantined(r.id, reason, now)
        log.warning("sync.item status=quarantined record=%s reason=%s", r.id, reason)
        return Outcome(r.id, r.kind, r.revision, SyncState.QUARANTINED, reason)

    def _fail(self, book: Book, r: Record, error: str, now: datetime) -> Outcome:
        book.failed(r.id, error, now)
        return Outcome(r.id, r.kind, r.revision, SyncState.FAILED, error)
