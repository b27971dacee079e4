"""Re-checking every pushed item with the phone's own consent gate before it is stored.

The backend trusts nothing the phone concluded: it recomputes the payload hash, decodes the
record strictly (unknown fields refused), recomputes minor status and consent cover at receive
time with the same ``ConsentGate``, and refuses any field the gate would have withheld. A
refusal is logged and audited by record id and reason only, never with content.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import sqlite3
import typing
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fieldapp.domain import RECORD_TYPES_BY_KIND, Consent, DecodeError, Record, from_dict
from fieldapp.domain.consent import ConsentGate, Decision

from ..protocol import SCHEMA_VERSION, canonical_json, payload_hash
from .db import Database
from .tombstones import deleted_reason

log = logging.getLogger("sync.server")

ACCEPTED_KINDS = frozenset(RECORD_TYPES_BY_KIND) - {"crisis_contact"}
MAX_CONSENTS = 20


class Refused(Exception):
    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Receiver:
    db: Database
    device_id: str
    recipient: str
    municipality: str
    now: datetime
    gate: ConsentGate

    def take(self, conn: sqlite3.Connection, item: dict[str, Any]) -> dict[str, Any]:
        """Check and store one item; returns its per-item result."""
        result = {"id": item["id"], "revision": item["revision"], "hash": item["hash"],
                  "status": "accepted", "reason": None}
        try:
            record, decision = self._check(conn, item)
        except Refused as refused:
            result.update(status="rejected", reason=refused.reason)
            self._log(conn, item, "rejected", refused.reason)
            return result
        row = conn.execute("SELECT hash FROM records WHERE id = ? AND revision = ?",
                           (item["id"], item["revision"])).fetchone()
        if row is not None:
            status = "duplicate" if row[0] == item["hash"] else "conflict"
            result["status"] = status
            self._log(conn, item, status, None if status == "duplicate" else "conflict")
            return result
        conn.execute(
            "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record.id, record.revision, record.kind, record.municipality, self.device_id,
             item["hash"], canonical_json(item["record"]).decode("utf-8"), decision.basis,
             json.dumps(list(decision.consent_ids)), self.now.isoformat()))
        self._log(conn, item, "accepted", None)
        return result

    def _log(self, conn: sqlite3.Connection, item: dict[str, Any], status: str,
             reason: str | None) -> None:
        self.db.audit(conn, "push", status, device_id=self.device_id, record_id=item["id"],
                      revision=item["revision"], hash_=item["hash"], reason=reason)
        if status == "rejected":
            log.warning("push.item status=rejected record=%s reason=%s device=%s",
                        item["id"], reason, self.device_id)

    def _check(self, conn: sqlite3.Connection, item: dict[str, Any]) -> tuple[Record, Decision]:
        if deleted_reason(conn, item["id"], item["revision"]):
            raise Refused("deleted")  # the phone deleted it: see tombstones.py
        if item["schema"] != SCHEMA_VERSION:
            raise Refused("schema_unsupported")
        if payload_hash(item) != item["hash"]:
            raise Refused("hash_mismatch")
        data = item["record"]
        if item["kind"] not in ACCEPTED_KINDS or data.get("kind") != item["kind"]:
            raise Refused("kind_not_accepted")
        if data.get("id") != item["id"] or data.get("revision") != item["revision"]:
            raise Refused("envelope_mismatch")
        record = _decode(data)
        # A consent without its own municipality belongs to its case's (checked with the case).
        inherits = isinstance(record, Consent) and not record.municipality
        if self.municipality and record.municipality != self.municipality and not inherits:
            raise Refused("wrong_municipality")
        consents = self._consents(record, item["consents"])
        case_shared = isinstance(record, Consent) and conn.execute(
            "SELECT 1 FROM records WHERE id = ? LIMIT 1", (record.case_id,)).fetchone() is not None
        decision = self.gate.decide(record, consents, self.recipient, self.now,
                                    case_shared=case_shared)
        if not decision.send_record or decision.payload is None:
            raise Refused(decision.reason or "not_allowed")
        _within(data, decision.payload, decision, "")
        if item["basis"] != decision.basis:
            raise Refused("basis_mismatch")
        return record, decision

    def _consents(self, record: Record, raw: Any) -> list[Consent]:
        if not isinstance(raw, list) or len(raw) > MAX_CONSENTS:
            raise Refused("consents_invalid")
        consents = []
        for data in raw:
            consent = _decode(data) if isinstance(data, dict) else None
            if not isinstance(consent, Consent) or consent.case_id != record.id:
                raise Refused("consents_invalid")
            consents.append(consent)
        return consents


def _decode(data: dict[str, Any]) -> Record:
    cls = RECORD_TYPES_BY_KIND.get(data.get("kind"))  # type: ignore[arg-type]
    if cls is None:
        raise Refused("kind_not_accepted")
    _known_keys(cls, data)
    try:
        return from_dict(data)
    except (DecodeError, TypeError, ValueError, AttributeError, KeyError) as exc:
        raise Refused("undecodable") from exc


def _known_keys(cls: type, data: Any) -> None:
    """Refuse any key the record type (or a nested action/timeline entry) does not declare."""
    if not isinstance(data, dict):
        raise Refused("undecodable")
    allowed = {f.name for f in dataclasses.fields(cls)} - {"sync_state"}
    if cls in RECORD_TYPES_BY_KIND.values():
        allowed.add("kind")
    if set(data) - allowed:
        raise Refused("unknown_field")
    for name, inner in _nested_types(cls).items():
        if data.get(name):
            if not isinstance(data[name], list):
                raise Refused("undecodable")
            for entry in data[name]:
                _known_keys(inner, entry)


@functools.cache
def _nested_types(cls: type) -> dict[str, type]:
    """Fields holding lists of dataclasses (FollowUpCase.actions, CrisisCallout.timeline)."""
    nested = {}
    for name, hint in typing.get_type_hints(cls).items():
        args = typing.get_args(hint)
        if typing.get_origin(hint) is list and args and dataclasses.is_dataclass(args[0]):
            nested[name] = args[0]
    return nested


def _within(received: Any, allowed: Any, decision: Decision, path: str) -> None:
    """Every key the phone sent must be one the gate lets go (also inside actions/timeline)."""
    if isinstance(received, dict):
        for key, value in received.items():
            field = path + key
            if not isinstance(allowed, dict) or key not in allowed:
                reason = next((w.reason for w in decision.withheld if w.field == field),
                              "field_not_allowed")
                raise Refused(reason)
            _within(value, allowed[key], decision, field)
    elif isinstance(received, list) and isinstance(allowed, list):
        for i, value in enumerate(received):
            if isinstance(value, dict):
                if i >= len(allowed):
                    raise Refused("field_not_allowed")
                _within(value, allowed[i], decision, f"{path}[{i}].")
