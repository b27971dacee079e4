"""Pushing one backend's share of the outbox in batches, two batches in flight at a time.

While the backend checks and stores batch k+1, the phone records the results of batch k, so
the phone's and the backend's work overlap. The session is used from one worker thread only.
A batch whose call fails marks its records ``failed`` and stops this backend for the run; the
batch already in flight is still settled, so nothing is lost or left half-recorded.
"""

from __future__ import annotations

import itertools
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any

from fieldapp.domain import SyncState

from .enrolment import Enrolment
from .errors import Cancelled, ProtocolError, SyncError
from .outbox import Book, Planned, group_of
from .protocol import API, ItemResult, parse_push_reply
from .transport import Transport

log = logging.getLogger(__name__)

InFlight = tuple[list[Planned], "Future[list[ItemResult]]"]


# Reasons the backend gives for something that can become right by itself: retried with
# backoff, not quarantined (a phone clock a few minutes fast, a consent given "just now").
RETRYABLE_REASONS = frozenset({"consent_not_yet_given"})
# A consent whose case the backend does not hold (the case was refused in the same batch)
# waits on the phone as if the gate had held it back: it goes with the case next time.
WAITS_FOR_CASE = "case_not_shared"


def batched(planned: list[Planned], size: int) -> list[list[Planned]]:
    """Batches of at most ``size`` items that never split a case from its consents (a group
    larger than ``size`` goes alone)."""
    batches: list[list[Planned]] = []
    current: list[Planned] = []
    for _, group in itertools.groupby(planned, key=group_of):
        members = list(group)
        if current and len(current) + len(members) > size:
            batches.append(current)
            current = []
        current.extend(members)
    if current:
        batches.append(current)
    return batches


class BatchPusher:
    def __init__(self, run: Any, transport: Transport, enrolment: Enrolment):
        self.run = run
        self.transport = transport
        self.enrolment = enrolment

    def push_all(self, planned: list[Planned]) -> None:
        """Send every planned item; raises the first SyncError (Cancelled when cancelled)."""
        batches = batched(planned, self.run.batch_size)
        error: SyncError | None = None
        in_flight: InFlight | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-push") as pool:
            for batch in [*batches, None]:
                upcoming = None
                if batch is not None and error is None:
                    if self.run.cancel():
                        error = Cancelled("cancelled")
                    else:
                        sending = self._mark_sending(batch)
                        upcoming = (sending, pool.submit(self._post, sending))
                if in_flight is not None:
                    try:
                        self._settle_batch(*in_flight)
                    except SyncError as exc:
                        error = error or exc
                in_flight = upcoming
        if error is not None:
            raise error

    def _mark_sending(self, batch: list[Planned]) -> list[Planned]:
        marked = self.run.lb.sync_records.set_states(
            [(p.record.id, SyncState.SENDING, p.record.revision) for p in batch])
        return [p for p, ok in zip(batch, marked, strict=True) if ok]

    def _post(self, sending: list[Planned]) -> list[ItemResult]:
        if not sending:
            return []
        reply = self.transport.call("POST", self.enrolment.url + API + "/push",
                                    token=self.enrolment.token, idempotent=True,
                                    body={"items": [p.item for p in sending]},
                                    verify=self.enrolment.verify)
        results = parse_push_reply(reply)
        if len({r.id for r in results}) != len(results):
            raise ProtocolError("duplicate results")
        return results

    def _settle_batch(self, sending: list[Planned], future: Future[list[ItemResult]]) -> None:
        now = self.run.clock()
        book = Book(self.run.lb)
        changes: list[tuple[str, SyncState, int]] = []
        try:
            results = future.result()
        except SyncError as exc:
            for p in sending:
                self._fail(book, changes, p, exc.code, now)
            self._record(book, changes)
            raise
        by_id = {r.id: r for r in results}
        for p in sending:
            self._settle(book, changes, p, by_id.get(p.record.id), now)
        self._record(book, changes)
        self.run.advance(len(sending))

    def _record(self, book: Book, changes: list[tuple[str, SyncState, int]]) -> None:
        """Write the batch's states and the outbox notes in one durable write; a record counts
        as sent once marked synced."""
        marked = self.run.lb.sync_records.set_states(changes, settings=book.changes())
        for (record_id, state, _), ok in zip(changes, marked, strict=True):
            if ok and state is SyncState.SYNCED:
                self.run.report.sent.append(record_id)

    def _settle(self, book: Book, changes: list, p: Planned, result: ItemResult | None,
                now: datetime) -> None:
        r, item = p.record, p.item or {}
        echoed = (result is not None and result.revision == r.revision
                  and result.hash == item.get("hash"))
        if result is None or not echoed:
            self._fail(book, changes, p, "no_valid_echo", now)
        elif result.status in ("accepted", "duplicate"):
            changes.append((r.id, SyncState.SYNCED, r.revision))
            book.synced(r)
        elif result.status == "rejected" and result.reason in RETRYABLE_REASONS:
            self._fail(book, changes, p, result.reason, now)
        elif result.status == "rejected" and result.reason == WAITS_FOR_CASE:
            changes.append((r.id, SyncState.PENDING, r.revision))
            self.run.report.withheld.append(self.run.withheld_record(r, WAITS_FOR_CASE))
        else:
            reason = "conflict" if result.status == "conflict" else result.reason or "rejected"
            changes.append((r.id, SyncState.QUARANTINED, r.revision))
            book.quarantined(r.id, reason, now)
            self.run.report.quarantined.append(self.run.withheld_record(r, reason))
            log.warning("sync.item status=quarantined record=%s reason=%s", r.id, reason)

    def _fail(self, book: Book, changes: list, p: Planned, error: str, now: datetime) -> None:
        r = p.record
        changes.append((r.id, SyncState.FAILED, r.revision))
        book.failed(r.id, error, now)
        self.run.report.failed.append(self.run.failed_record(r, error))
