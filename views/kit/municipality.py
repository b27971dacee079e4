"""Which municipality a new record belongs to, and the records that have none (no flet here).

A police contact often serves several municipalities. Every record gets one: from its school
(the school lists of the municipalities served and their agreements), else the one the officer
chose last (remembered in the sealed settings), else the first one served. The choice shows on
the form only when more than one is served. Records saved before a municipality was chosen are
listed under "Mangler kommune" until one is picked.

    choices(lb)                      -> [("1122", "Gjesdal"), ("5035", "Stjørdal")]
    default_municipality(lb, school) -> "1122"
    remember(lb, "5035")
    homeless(records)                -> records that no municipality's sync or report counts
    homeless_count(lb, records)      -> how many of them Home names (0 while none is served)
    give_home(lb, record_id, "1122")   a record (and a case's consents) get their municipality
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from fieldapp import StaleRecord
from fieldapp.domain import Consent, CrisisContact, FollowUpCase, Record, ValidationError
from fieldapp.domain.agreement import agreement_for
from fieldapp.domain.tracking import school_key
from fieldapp.logbook import Logbook

NO_HOME_NEEDED = frozenset({CrisisContact.kind})  # local-only reference data


def choices(logbook: Logbook) -> list[tuple[str, str]]:
    """The municipalities served as (code, name), in the configured order, each once."""
    found: list[tuple[str, str]] = []
    for m in logbook.municipalities():
        code = str(m.get("code") or "") if isinstance(m, dict) else ""
        if code and all(code != known for known, _ in found):
            found.append((code, str(m.get("name") or code)))
    return found


def needs_choice(logbook: Logbook) -> bool:
    """The picker shows only when more than one municipality is served."""
    return len(choices(logbook)) > 1


def options_for(logbook: Logbook, current: str = "") -> list[tuple[str, str]]:
    """The picker's chips: the served ones, plus a record's own code when no longer served."""
    found = choices(logbook)
    if current and all(code != current for code, _ in found):
        found.append((current, current))
    return found


def remembered(logbook: Logbook) -> str:
    """The municipality chosen last, if it is still served."""
    last = logbook.preferences.last_municipality
    return last if any(code == last for code, _ in choices(logbook)) else ""


def remember(logbook: Logbook, code: str) -> None:
    """Keep the last chosen municipality (only a served one, only when it changed)."""
    if code and any(c == code for c, _ in choices(logbook)) and remembered(logbook) != code:
        logbook.preferences.last_municipality = code


def school_municipality(logbook: Logbook, school: str) -> str:
    """The municipality whose school list (or agreement) names the school; "" if none or
    if two of them name it."""
    key = school_key(school or "")
    if not key:
        return ""
    stored = logbook.agreements.all()
    owners: set[str] = set()
    for m in logbook.municipalities():
        code = str(m.get("code") or "")
        names = list(m.get("schools") or [])
        agreement = agreement_for(code, stored) if code else None
        if agreement is not None:
            names += [s.name for s in agreement.schools]
        if code and any(school_key(n) == key for n in names):
            owners.add(code)
    return owners.pop() if len(owners) == 1 else ""


def default_municipality(logbook: Logbook, school: str = "") -> str:
    """The municipality to preselect: the school's, else the remembered, else the first
    served; "" when none is served."""
    served = choices(logbook)
    if not served:
        return ""
    return school_municipality(logbook, school) or remembered(logbook) or served[0][0]


def homeless(records: Iterable[Record]) -> list[Record]:
    """Records without a municipality, oldest first (a consent inherits its case's one)."""
    records = list(records)
    homes = {r.id: r.municipality for r in records}
    found = []
    for r in records:
        if r.municipality or r.kind in NO_HOME_NEEDED:
            continue
        if isinstance(r, Consent) and homes.get(r.case_id):
            continue
        found.append(r)
    return sorted(found, key=lambda r: r.created_at)


@dataclass(frozen=True)
class RecordLine:
    """How a record is named in the "Mangler kommune" list: non-personal words only."""

    kind_key: str          # strings key of the record kind
    detail: str            # a place, a school or a code: shareable facts
    moment: date | datetime  # the record's own date or time
    coded: bool = False    # detail is a code (show its label)


def record_line(record: Record) -> RecordLine:
    kind = record.kind
    moment = next((getattr(record, name) for name in (
        "observed_at", "checked_in_at", "opened_at", "called_at", "starts_at", "given_at")
        if getattr(record, name, None) is not None), record.created_at)
    detail = {"observation": "place", "school_visit": "school", "crisis_callout": "event_type",
              "meeting": "meeting_type"}.get(kind, "")
    return RecordLine(f"homeless.kind.{kind}", str(getattr(record, detail, "") or ""), moment,
                      coded=detail.endswith("_type"))


def homeless_count(logbook: Logbook, records: list[Record]) -> int:
    """How many records need a municipality (0 while none is served: nothing to pick)."""
    return len(homeless(records)) if choices(logbook) else 0


def give_home(logbook: Logbook, record_id: str, code: str) -> None:
    """Store the municipality on a record (read fresh; once more if it moved on meanwhile);
    a case's consents without one get it too."""
    for _ in range(2):
        record = logbook.get(record_id)
        record.municipality = code
        try:
            logbook.update(record)
            break
        except StaleRecord:
            continue
    if isinstance(record, FollowUpCase):
        for consent in logbook.list(Consent, where=lambda c: c.case_id == record_id
                                    and not c.municipality):
            consent.municipality = code
            try:
                logbook.update(consent)
            except (StaleRecord, ValidationError):  # it inherits from the case anyway
                continue
