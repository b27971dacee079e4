"""Record types of the logbook. Every field declares its sensitivity (see sensitivity.py).

Times are timezone-aware datetimes; dates are plain dates. Every record carries a UUID, a
municipality code, created/updated timestamps, a revision counter and a sync state.

Activity records (school visits, observations, U18 cases, crisis callouts) may carry a
``priority_area``: the code of one of the agreement's priority areas (satsingsområder), so the
yearly evaluation can show the activity linked to each area. It is a shareable code, never text.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import ClassVar

from .codes import SyncState
from .sensitivity import personal, shareable


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(kw_only=True)
class Record:
    kind: ClassVar[str] = "record"

    id: str = shareable(default_factory=new_id)
    municipality: str = shareable(default="")
    created_at: datetime = shareable(default_factory=utcnow)
    updated_at: datetime = shareable(default_factory=utcnow)
    revision: int = shareable(default=0)
    sync_state: str = shareable(default=SyncState.PENDING.value)


@dataclass(kw_only=True)
class SchoolVisit(Record):
    """Presence at an ungdomsskole: check-in, check-out, who was met and what was discussed."""

    kind: ClassVar[str] = "school_visit"

    school: str = shareable(default="")
    checked_in_at: datetime = shareable(default_factory=utcnow)
    checked_out_at: datetime | None = shareable(default=None)
    contacts_met: list[str] = personal(default_factory=list)
    contact_roles: list[str] = shareable(default_factory=list)
    topics: list[str] = shareable(default_factory=list)
    priority_area: str = shareable(default="")
    # the follow-ups agreed with the school (typed prose: may name a pupil)
    agreed_follow_up: str = personal(free_text=True, default="")
    note: str = personal(free_text=True, default="")
    text_free_of_personal: bool = shareable(default=False)


@dataclass(kw_only=True)
class Observation(Record):
    """A youth-environment observation, quick-added on patrol."""

    kind: ClassVar[str] = "observation"

    place: str = shareable(default="")
    observed_at: datetime = shareable(default_factory=utcnow)
    latitude: float | None = shareable(default=None)
    longitude: float | None = shareable(default=None)
    youth_count: int | None = shareable(default=None)
    categories: set[str] = shareable(default_factory=set)
    atmosphere: str = shareable(default="")
    priority_area: str = shareable(default="")
    actions_taken: str = personal(free_text=True, default="")
    note: str = personal(free_text=True, default="")
    text_free_of_personal: bool = shareable(default=False)


@dataclass(kw_only=True)
class FollowUpAction:
    """One step in following up a case: what, by when, done or not."""

    id: str = shareable(default_factory=new_id)
    description: str = personal(free_text=True, default="")
    service: str = shareable(default="")
    due_date: date | None = shareable(default=None)
    done_at: datetime | None = shareable(default=None)


@dataclass(kw_only=True)
class FollowUpCase(Record):
    """A concern about a named minor (U18), with actions, services involved and a legal basis."""

    kind: ClassVar[str] = "follow_up_case"

    person_name: str = personal(default="")
    birth_date: date | None = personal(default=None)
    identity_number: str = personal(default="")
    address: str = personal(default="")
    guardian_name: str = personal(default="")
    guardian_phone: str = personal(default="")
    concern: str = personal(free_text=True, default="")
    concern_categories: set[str] = shareable(default_factory=set)
    services: set[str] = shareable(default_factory=set)
    actions: list[FollowUpAction] = shareable(default_factory=list)
    status: str = shareable(default="open")
    opened_at: datetime = shareable(default_factory=utcnow)
    closed_at: datetime | None = shareable(default=None)
    legal_basis: str = shareable(default="")
    priority_area: str = shareable(default="")
    text_free_of_personal: bool = shareable(default=False)

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    def is_minor_on(self, day: date) -> bool:
        """Unknown birth date counts as a minor: the safe side."""
        age = self.age_on(day)
        return age is None or age < 18


@dataclass(kw_only=True)
class Consent(Record):
    """Consent to lift confidentiality (samtykke til fritak fra taushetsplikt) for a case."""

    kind: ClassVar[str] = "consent"

    case_id: str = shareable(default="")
    given_by: str = personal(default="")
    given_by_role: str = shareable(default="youth")
    given_at: datetime = shareable(default_factory=utcnow)
    method: str = shareable(default="written")
    recipients: set[str] = shareable(default_factory=set)
    purpose: str = shareable(default="")
    expires_at: datetime | date | None = shareable(default=None)
    withdrawn_at: datetime | None = shareable(default=None)


@dataclass(kw_only=True)
class TimelineEntry:
    at: datetime = shareable(default_factory=utcnow)
    text: str = personal(free_text=True, default="")


@dataclass(kw_only=True)
class CrisisCallout(Record):
    """Called in to the municipal crisis staff (innkalt til krisestab)."""

    kind: ClassVar[str] = "crisis_callout"

    event_type: str = shareable(default="other")
    called_by_role: str = shareable(default="")
    called_by_name: str = personal(default="")
    called_at: datetime = shareable(default_factory=utcnow)
    arrived_at: datetime | None = shareable(default=None)
    ended_at: datetime | None = shareable(default=None)
    role: str = shareable(default="")
    timeline: list[TimelineEntry] = shareable(default_factory=list)
    priority_area: str = shareable(default="")
    note: str = personal(free_text=True, default="")
    text_free_of_personal: bool = shareable(default=False)


@dataclass(kw_only=True)
class CrisisContact(Record):
    """A member of the municipal crisis staff: reference data, kept offline on the phone."""

    kind: ClassVar[str] = "crisis_contact"

    name: str = personal(default="")
    role: str = shareable(default="")
    organisation: str = shareable(default="")
    phone: str = personal(default="")
    email: str = personal(default="")
    last_verified: date | None = shareable(default=None)
