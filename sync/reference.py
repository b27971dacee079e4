"""Pull of reference data (crisis-staff contacts, schools, the agreement) from one backend,
with a cursor.

Contacts become ``CrisisContact`` records (local only, never sent back); schools are merged
into the municipality's school list (setting ``municipalities``). A reply item that would
overwrite a record of another kind is refused: the backend may only touch its own contacts.

An agreement (id: its municipality code) replaces the stored one of that municipality and is
marked as coming from the backend: the agreement is the document both parties signed, so the
municipality's copy wins when it changes; an edit on the phone stands until then. A backend may
only send the agreement of the municipality it was enrolled for; an agreement that fails the
phone's own checks is skipped (logged by code, never applied). A deleted one falls back to the
signed default, unless the officer has edited it on the phone since.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime

from fieldapp.domain import CrisisContact, DecodeError, Record, SyncState
from fieldapp.domain.agreement import agreement_from_json
from fieldapp.domain.validation import validation_errors
from fieldapp.logbook import Logbook
from fieldapp.repositories import ServedMunicipality

from .enrolment import Enrolment, update_enrolments
from .errors import ProtocolError
from .ledger import Ledger
from .protocol import API, ReferenceItem, parse_reference_reply
from .transport import Transport

log = logging.getLogger(__name__)

MAX_PAGES = 100


def pull_reference(transport: Transport, lb: Logbook, enrolment: Enrolment, now: datetime) -> int:
    """Fetch and apply every change since the enrolment's cursor; returns how many applied."""
    applied = 0
    for _ in range(MAX_PAGES):
        cursor = enrolment.cursor
        reply = transport.call("GET", f"{enrolment.url}{API}/reference?cursor={cursor}",
                               token=enrolment.token, idempotent=True,
                               verify=enrolment.verify)
        items, next_cursor, more = parse_reference_reply(reply, cursor)
        for item in items:
            applied += _apply(lb, enrolment, item, now)
        if next_cursor != cursor:
            enrolment.cursor = next_cursor
            update_enrolments(lb, [enrolment])
        if not more:
            break
        if next_cursor == cursor:
            raise ProtocolError("more pages promised but the cursor did not move")
    return applied


def _apply(lb: Logbook, enrolment: Enrolment, item: ReferenceItem, now: datetime) -> int:
    if item.kind == "school":
        return _apply_school(lb, enrolment, item)
    if item.kind == "agreement":
        return apply_agreement(lb, enrolment.municipality, item, now)
    existing = _existing(lb, item.id)
    if existing is not None and not isinstance(existing, CrisisContact):
        log.warning("sync.reference status=refused record=%s reason=foreign_id", item.id)
        return 0
    if item.deleted:
        if existing is not None:
            lb.delete(item.id)
        return 1
    contact = _contact(enrolment, item, now, existing)
    if contact is None or validation_errors(contact):
        log.warning("sync.reference status=skipped record=%s reason=invalid", item.id)
        return 0
    lb.sync_records.store_unversioned(contact)
    return 1


def _existing(lb: Logbook, record_id: str) -> Record | None:
    try:
        return lb.get(record_id)
    except KeyError:
        return None


def _contact(enrolment: Enrolment, item: ReferenceItem, now: datetime,
             existing: Record | None) -> CrisisContact | None:
    data = item.data
    try:
        verified = date.fromisoformat(data["last_verified"]) if data["last_verified"] else None
    except ValueError:
        return None
    return CrisisContact(
        id=item.id, municipality=enrolment.municipality, name=data["name"], role=data["role"],
        organisation=data["organisation"], phone=data["phone"], email=data["email"],
        last_verified=verified, created_at=existing.created_at if existing else now,
        updated_at=now, revision=(existing.revision + 1) if existing else 1,
        sync_state=SyncState.LOCAL_ONLY.value)


def _apply_school(lb: Logbook, enrolment: Enrolment, item: ReferenceItem) -> int:
    ids = Ledger(lb).school_ids()
    known = dict(ids.get(enrolment.url, {}))
    old_name = known.pop(item.id, None)
    new_name = None if item.deleted else item.data["name"]
    if new_name:
        known[item.id] = new_name
    ids[enrolment.url] = known
    Ledger(lb).write(Ledger.school_ids_changes(ids))
    served = lb.served.all()
    code = enrolment.municipality or (served[0].code if len(served) == 1 else "")
    entry = next((m for m in served if m.code == code), None)
    if entry is None:
        entry = ServedMunicipality(code, enrolment.server_name)
        served.append(entry)
    schools = [s for s in entry.schools if s != old_name]
    if new_name and new_name not in schools:
        schools.append(new_name)
    lb.served.replace([replace(m, schools=tuple(schools)) if m is entry else m for m in served])
    return 1


def apply_agreement(lb: Logbook, municipality: str, item: ReferenceItem, now: datetime) -> int:
    """Store (or drop) the agreement the backend of ``municipality`` sent; 1 when applied."""
    if not municipality or item.id != municipality:
        log.warning("sync.reference status=refused kind=agreement reason=other_municipality")
        return 0
    if item.deleted:
        origin = lb.agreements.source(municipality)
        if origin is None or origin.source != "backend":
            return 0
        lb.agreements.reset(municipality)
        return 1
    try:
        agreement = agreement_from_json(item.data)
    except DecodeError:
        log.warning("sync.reference status=skipped kind=agreement reason=invalid")
        return 0
    if agreement.municipality != municipality:
        log.warning("sync.reference status=refused kind=agreement reason=other_municipality")
        return 0
    lb.agreements.save(agreement, "backend", now)
    return 1
