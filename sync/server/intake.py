"""Taking in one pushed batch: every item checked, consent judged on what the backend holds.

The backend trusts nothing the phone concluded. Per batch:

1. every item is parsed and checked on its own (``checks.parse``: envelope, hash, decode once,
   ``validate()``, vocabularies, UUID ids, municipality, legal-basis policy);
2. consent is judged only on consents the backend **holds**: stored from earlier batches, or
   sent as consent items in this batch (and checked like any item). The newest revision of
   each consent wins, and a withdrawal by a giver ends that giver's earlier consents for the
   case (``fieldapp.domain.consent_status``). The consent facts a case item carries are only a
   cross-check: each must name a consent the backend holds;
3. the same ``ConsentGate`` as on the phone (with a few minutes of clock tolerance) decides
   what of the record may be kept; any field it would have withheld refuses the item;
4. a consent is kept only when its case is held (stored before, or accepted in this batch);
5. what is stored is the record re-encoded from what was checked, never the bytes received
   (when the checked payload is the received record, value for value and type for type, its
   canonical JSON from the hash check is that encoding: ``canonical.same_json``);
   a newer revision empties the content of the older ones (a correction reaches the backend),
   and a record the phone deleted (a tombstone) is never taken in again at an older revision.

Bad items are refused one by one with a reason code; the rest of the batch goes on. Refusals
are logged and audited by record id and reason only, never with content.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fieldapp.domain import Consent, FollowUpCase, Record
from fieldapp.domain.codes import UUID_PATTERN
from fieldapp.domain.consent import ConsentGate, Decision

from ..protocol import canonical_json
from .allowed import within, without_name
from .batch import BatchState, ChainedAudit
from .canonical import same_json
from .checks import MAX_CONSENTS, Policy, Refused, decode, parse
from .db import Conn, Database, audit_values
from .tombstones import purge_older_revisions

log = logging.getLogger("sync.server")


class StoreFailed(Exception):
    """The database refused the batch's accepted rows: the push fails as a whole."""


@dataclass
class _Entry:
    item: dict[str, Any]
    record: Record | None = None
    record_json: bytes = b""    # the canonical JSON of item["record"] (from the hash check)
    result: dict[str, Any] = field(default_factory=dict)


@dataclass
class Receiver:
    db: Database
    device_id: str
    recipient: str
    policy: Policy
    now: datetime
    gate: ConsentGate
    corrected: list[str] = field(default_factory=list)   # ids whose older content went
    consent_cases: list[str] = field(default_factory=list)  # cases of the consents stored
    # the batch's tombstones and stored revisions, read once (batch.py), and its audit rows
    state: BatchState = field(default_factory=BatchState)
    audit: ChainedAudit | None = None
    received_at: str = ""
    rows: list[tuple[Any, ...]] = field(default_factory=list)   # accepted, not yet inserted

    def take_batch(self, conn: Conn,
                   items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Check and store a batch; returns the per-item results in the items' order."""
        self.state = BatchState.load(conn, [item["id"] for item in items])
        self.received_at = self.now.isoformat()
        self.audit = ChainedAudit(conn)
        results = self._take(conn, items)
        self._flush(conn)
        self.audit.flush()   # before anything else writes to the audit (rejudge_cases)
        self.audit = None
        return results

    def _take(self, conn: Conn, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        entries = [self._parse(conn, item) for item in items]
        # Consents first become known (cases are judged on them), then are kept only once
        # their case is held: cases are stored before consents are.
        batch_consents = [e.record for e in entries if isinstance(e.record, Consent)
                          and not e.item["consents"] and e.item["basis"] in ("consent", "")]
        for entry in entries:
            if entry.record is not None and not isinstance(entry.record, Consent):
                self._judge(conn, entry, batch_consents)
        for entry in entries:
            if isinstance(entry.record, Consent):
                self._judge_consent(conn, entry, batch_consents)
                if entry.result["status"] == "accepted":
                    self.consent_cases.append(entry.record.case_id)
        return [e.result for e in entries]

    def _parse(self, conn: Conn, item: dict[str, Any]) -> _Entry:
        entry = _Entry(item, result={"id": item["id"], "revision": item["revision"],
                                     "hash": item["hash"], "status": "accepted",
                                     "reason": None})

        def parse_item() -> None:
            if self.state.deleted(item["id"], item["revision"]):
                raise Refused("deleted")  # the phone deleted it: see tombstones.py
            entry.record, entry.record_json = parse(item, self.policy)

        self._guarded(conn, entry, parse_item, failure="undecodable", step="parse")
        return entry

    def _judge(self, conn: Conn, entry: _Entry,
               batch_consents: list[Consent]) -> None:
        record = entry.record
        assert record is not None

        def judge() -> None:
            consents: list[Consent] = []
            if isinstance(record, FollowUpCase):
                self._flush(conn)
                consents = held_consents(conn, record.id, batch_consents)
                _cross_check(entry.item["consents"], consents)
            decision = self.gate.decide(record, consents, self.recipient, self.now)
            self._store(conn, entry, decision)

        self._guarded(conn, entry, judge)

    def _judge_consent(self, conn: Conn, entry: _Entry,
                       batch_consents: list[Consent]) -> None:
        consent = entry.record
        assert isinstance(consent, Consent)

        def judge() -> None:
            if entry.item["consents"]:
                raise Refused("consents_invalid")
            self._flush(conn)
            same_case = held_consents(conn, consent.case_id, batch_consents)
            now_consent = next((c for c in same_case if c.id == consent.id), consent)
            decision = self.gate.decide(consent, same_case, self.recipient, self.now,
                                        case_shared=_case_held(conn, consent.case_id))
            if now_consent.revision > consent.revision:
                decision = without_name(decision)
            self._store(conn, entry, decision)

        self._guarded(conn, entry, judge)

    def _guarded(self, conn: Conn, entry: _Entry, work: Callable[[], None], *,
                 failure: str = "check_failed", step: str = "check") -> None:
        """Run one item's step: a refusal refuses that item with its reason, anything
        unexpected with ``failure``; one bad item never fails the batch."""
        try:
            work()
        except StoreFailed:
            raise   # not this item's fault: the batch fails
        except Refused as refused:
            self._refuse(conn, entry, refused.reason)
        except Exception as exc:  # noqa: BLE001 - one bad item never fails the batch
            log.warning("push.item %s failed error=%s", step, type(exc).__name__)
            self._refuse(conn, entry, failure)

    def _store(self, conn: Conn, entry: _Entry, decision: Decision) -> None:
        item, record = entry.item, entry.record
        assert record is not None
        if not decision.send_record or decision.payload is None:
            raise Refused(decision.reason or "not_allowed")
        within(item["record"], decision.payload, decision, "")
        if item["basis"] != decision.basis:
            raise Refused("basis_mismatch")
        stored_hash = self.state.stored_hash(record.id, record.revision)
        if stored_hash is not None:
            status = "duplicate" if stored_hash == item["hash"] else "conflict"
            entry.result["status"] = status
            self._log(conn, item, status, None if status == "duplicate" else "conflict")
            return
        stored = dict(decision.payload, revision=record.revision)
        # what the gate let go is most often the very record received: its bytes are known
        same = entry.record_json and same_json(stored, item["record"])
        payload = entry.record_json if same else canonical_json(stored)
        consent_ids = json.dumps(list(decision.consent_ids)) if decision.consent_ids else "[]"
        self.rows.append(
            (record.id, record.revision, record.kind, record.municipality, self.device_id,
             item["hash"], payload.decode("utf-8"), decision.basis, consent_ids,
             self.received_at))
        self._log(conn, item, "accepted", None)
        if self.state.add(record.id, record.revision, item["hash"]):
            self._flush(conn)    # an older revision may be among the rows not yet inserted
            if purge_older_revisions(conn, record.id, record.revision):
                self.corrected.append(record.id)
                # A correction: what the officer changed away leaves the municipality too.
                self._audit("correction", "purged", record_id=record.id,
                            revision=record.revision)

    def _refuse(self, conn: Conn, entry: _Entry, reason: str) -> None:
        entry.result.update(status="rejected", reason=reason)
        self._log(conn, entry.item, "rejected", reason)

    def _log(self, conn: Conn, item: dict[str, Any], status: str,
             reason: str | None) -> None:
        # An id that is not a UUID may be anything (an identity number): never kept or logged.
        record_id = item["id"] if UUID_PATTERN.match(item["id"]) else None
        self._audit("push", status, record_id=record_id, revision=item["revision"],
                    hash_=item["hash"], reason=reason)
        if status == "rejected":
            log.warning("push.item status=rejected record=%s reason=%s device=%s",
                        record_id or "-", reason, self.device_id)

    def _flush(self, conn: Conn) -> None:
        """Insert the rows accepted so far (one statement; before any read of ``records``).
        Nothing should refuse them: the id and revision are new (``BatchState``), no tombstone
        covers them, and every column was checked. Should the database refuse one anyway, the
        whole batch fails (and is rolled back): its items were already answered accepted."""
        if self.rows:
            try:
                conn.executemany(INSERT_RECORD, self.rows)
            except Exception as exc:
                raise StoreFailed(type(exc).__name__) from exc
            self.rows = []

    def _audit(self, event: str, status: str, **fields: Any) -> None:
        assert self.audit is not None, "audit rows are written inside take_batch"
        self.audit.append(audit_values(event, status, device_id=self.device_id, **fields))


INSERT_RECORD = "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


def _case_held(conn: Conn, case_id: str) -> bool:
    """Whether the backend holds the case (stored before, or accepted earlier in this batch)."""
    return conn.execute("SELECT 1 FROM records WHERE id = ? AND kind = 'follow_up_case' "
                        "LIMIT 1", (case_id,)).fetchone() is not None


# Uses the index records_consent_case (migration 0005); the expression must stay the same.
CONSENTS_OF_CASE = ("SELECT payload FROM records WHERE kind = 'consent' AND "
                    "json_extract(payload, '$.case_id') = ?")


def held_consents(conn: Conn, case_id: str,
                  batch: list[Consent]) -> list[Consent]:
    """The newest revision of every consent for the case the backend holds or is sent now."""
    newest: dict[str, Consent] = {}
    rows = conn.execute(CONSENTS_OF_CASE, (case_id,)).fetchall()
    candidates = [c for c in batch if c.case_id == case_id]
    for row in rows:
        try:
            stored = decode(json.loads(row[0]))
        except (Refused, ValueError):
            continue
        if isinstance(stored, Consent):
            candidates.append(stored)
    for consent in candidates:
        known = newest.get(consent.id)
        if known is None or consent.revision > known.revision:
            newest[consent.id] = consent
    return list(newest.values())


def _cross_check(facts: object, held: list[Consent]) -> None:
    """Each consent a case item names must be one the backend holds (not a fabricated one)."""
    if not isinstance(facts, list) or len(facts) > MAX_CONSENTS:
        raise Refused("consents_invalid")
    known = {c.id for c in held}
    for fact in facts:
        if not isinstance(fact, dict) or fact.get("id") not in known:
            raise Refused("consent_unknown")

