"""What the coordinator may see of what was received: the newest revision of each record,
filtered, and a U18 case only while it is covered for this backend's recipient.

Whether a case is covered is not decided here: the backend's own rule decides it, the same
as for a push (``intake.held_consents``: the newest revision of every consent held for the
case; ``ConsentGate.cover`` with the backend's clock tolerance: a consent naming the
recipient, given, not expired, not withdrawn, and not ended by the same giver's withdrawal;
or a legal basis that reaches the recipient). A case that is not covered is left out of the
list and its page shows none of its content.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fieldapp.domain import Consent, FollowUpCase
from fieldapp.domain.consent import ConsentGate
from fieldapp.domain.consent_status import BACKEND_CLOCK_SKEW, ConsentStatus

from ..admin import received
from ..checks import Refused, decode
from ..db import Database
from ..intake import held_consents

WHEN = {"observation": "observed_at", "school_visit": "checked_in_at",
        "follow_up_case": "opened_at", "crisis_callout": "called_at", "meeting": "starts_at"}
LISTED_KINDS = tuple(WHEN)
SUMMARY = {"observation": ("place", "categories", "youth_count", "atmosphere"),
           "school_visit": ("school", "topics", "contact_roles"),
           "follow_up_case": ("status", "services", "concern_categories"),
           "crisis_callout": ("event_type", "called_by_role", "role"),
           "meeting": ("meeting_type", "place")}
HIDDEN_FIELDS = {"kind", "id", "revision", "municipality", "sync_state", "created_at",
                 "updated_at", "text_free_of_personal"}


@dataclass(frozen=True)
class Filters:
    municipality: str = ""
    kind: str = ""
    since: date | None = None
    until: date | None = None
    area: str = ""


@dataclass(frozen=True)
class Row:
    id: str
    kind: str
    municipality: str
    when: str
    received_at: str
    areas: tuple[str, ...]
    summary: tuple[str, ...]


@dataclass(frozen=True)
class CaseView:
    id: str
    municipality: str
    covered: bool
    reason: str
    basis: str
    fields: dict[str, Any]
    consents: list[tuple[Consent, ConsentStatus]] = field(default_factory=list)


def gate() -> ConsentGate:
    return ConsentGate(skew=BACKEND_CLOCK_SKEW)


def _areas(record: dict[str, Any]) -> tuple[str, ...]:
    found = [record.get("priority_area") or ""] + list(record.get("priority_areas") or [])
    return tuple(sorted({a for a in found if isinstance(a, str) and a}))


def _day(value: str) -> date | None:
    try:
        return datetime.fromisoformat(value).date()
    except (TypeError, ValueError):
        return None


def _matches(row: dict[str, Any], f: Filters) -> bool:
    record = row["record"]
    if row["kind"] not in LISTED_KINDS or (f.kind and row["kind"] != f.kind):
        return False
    if f.municipality and row["municipality"] != f.municipality:
        return False
    if f.area and f.area not in _areas(record):
        return False
    day = _day(str(record.get(WHEN[row["kind"]]) or row["received_at"]))
    return not ((f.since and (day is None or day < f.since))
                or (f.until and (day is None or day > f.until)))


def _summary(record: dict[str, Any], kind: str) -> tuple[str, ...]:
    parts: list[str] = []
    for name in SUMMARY.get(kind, ()):
        value = record.get(name)
        values = value if isinstance(value, list) else [value]
        parts += [str(v) for v in values if v not in (None, "")]
    return tuple(parts)


def received_rows(db: Database, filters: Filters, now: datetime) -> list[Row]:
    """Newest first; a case only while covered (judged on what the backend holds now)."""
    rows = [r for r in received(db) if _matches(r, filters)]
    recipient, judge = db.meta("recipient"), gate()
    out = []
    with db.transaction() as conn:
        for r in reversed(rows):
            if r["kind"] == "follow_up_case" and not _covered(conn, judge, r, recipient, now):
                continue
            record = r["record"]
            out.append(Row(r["id"], r["kind"], r["municipality"],
                           str(record.get(WHEN[r["kind"]]) or ""), r["received_at"],
                           _areas(record),
                           _summary(record, r["kind"])))
    return out


def _covered(conn: Any, judge: ConsentGate, row: dict[str, Any], recipient: str,
             now: datetime) -> bool:
    try:
        case = decode(row["record"])
    except Refused:
        return False
    return isinstance(case, FollowUpCase) and judge.cover(
        case, held_consents(conn, case.id, []), recipient, now).ok


def municipalities(db: Database) -> list[str]:
    return [r[0] for r in db.query("SELECT DISTINCT municipality FROM records "
                                   "WHERE municipality != '' ORDER BY 1")]


def newest(db: Database, record_id: str) -> dict[str, Any] | None:
    rows = db.query("SELECT kind, municipality, revision, payload FROM records WHERE id = ? "
                    "ORDER BY revision DESC LIMIT 1", (record_id,))
    if not rows:
        return None
    return {"kind": rows[0]["kind"], "municipality": rows[0]["municipality"],
            "record": json.loads(rows[0]["payload"])}


def case_view(db: Database, case_id: str, now: datetime) -> CaseView | None:
    """The case with its consents when covered; else only why it is not (no content)."""
    row = newest(db, case_id)
    if row is None or row["kind"] != "follow_up_case":
        return None
    recipient, judge = db.meta("recipient"), gate()
    emptied = not row["record"]  # its consents ended: the backend keeps no content
    try:
        case = FollowUpCase(id=case_id) if emptied else decode(row["record"])
    except Refused:
        return None
    assert isinstance(case, FollowUpCase)
    with db.transaction() as conn:
        consents = held_consents(conn, case_id, [])
    cover = judge.cover(case, consents, recipient, now)
    if not cover.ok or emptied:
        return CaseView(case_id, row["municipality"], False, str(cover.reason or "other"), "",
                        {})
    mine = [(c, judge.status(c, now, consents, recipient)) for c in consents
            if recipient in c.recipients]
    mine.sort(key=lambda pair: pair[0].given_at)
    shown = {k: v for k, v in row["record"].items() if k not in HIDDEN_FIELDS}
    return CaseView(case_id, row["municipality"], True, "", cover.basis, shown, mine)


def record_fields(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in HIDDEN_FIELDS}


def meetings(db: Database, filters: Filters) -> list[dict[str, Any]]:
    """Every meeting received (newest first) with its decisions and actions as stored."""
    chosen = Filters(filters.municipality, "meeting", filters.since, filters.until,
                     filters.area)
    found = [dict(r["record"], id=r["id"]) for r in received(db) if _matches(r, chosen)]
    return sorted(found, key=lambda m: str(m.get("starts_at", "")), reverse=True)
