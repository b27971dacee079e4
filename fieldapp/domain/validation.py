"""Validation of records. Errors name the field and carry a message key (see messages.py).

    ValidationError(ValueError)
      .errors: list[FieldError(field, key, params)]

Every wrong field is reported at once (a form shows them all after one Save). Dates and times
must be plausible (the rules are in ``limits``); a date in a list item (an action's due date, a
log entry's time) is reported on the list's field. A crisis contact's phone is a number one can
call and its e-mail an address (``contact_points``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Generic, TypeVar

from . import codes
from .contact_points import dial_number, valid_email
from .identity import find_personal_data, identity_number_kind
from .limits import EARLIEST, HAPPENED_MARGIN, LONG_TEXT, SHORT_TEXT, YEARS_AHEAD
from .meetings import Meeting, check_meeting
from .records import (
    Consent,
    CrisisCallout,
    CrisisContact,
    FollowUpCase,
    Observation,
    Record,
    SchoolVisit,
)
from .textnorm import normalise

MAX_YOUTH_COUNT = 10_000
# Dates that are planned and may lie ahead (an agenda's sending is planned with its meeting,
# and is never after it); every other date or time (but the bookkeeping and a birth date,
# checked on its own) already happened.
PLANNED = frozenset({"starts_at", "agenda_sent_at", "due_date", "expires_at"})
_NOT_CHECKED = frozenset({"created_at", "updated_at", "birth_date"})
_AHEAD = timedelta(days=round(365.25 * YEARS_AHEAD))
R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class FieldError:
    field: str
    key: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False)


class ValidationError(ValueError):
    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        names = ", ".join(f"{e.field}: {e.key}" for e in errors)
        super().__init__(f"invalid record ({names})")

    def for_field(self, name: str) -> FieldError | None:
        return next((e for e in self.errors if e.field == name), None)


class _Checker(Generic[R]):
    """Collects the field errors of one record (``meetings.Checker`` is how meetings see it)."""

    def __init__(self, record: R, now: datetime | None = None):
        self.record = record
        self.now = now or datetime.now(UTC)
        self.errors: list[FieldError] = []

    def add(self, name: str, key: str, **params: Any) -> None:
        self.errors.append(FieldError(name, key, params))

    def required(self, *names: str) -> None:
        for name in names:
            value = getattr(self.record, name)
            empty = value is None or (isinstance(value, set | list) and not value)
            if empty or (isinstance(value, str) and not value.strip()):
                self.add(name, "required")

    def max_length(self, limit: int, *names: str) -> None:
        for name in names:
            value = getattr(self.record, name)
            if isinstance(value, str) and len(value) > limit:
                self.add(name, "too_long", limit=limit)

    def codes(self, name: str, allowed: Iterable[str], *, empty_ok: bool = True) -> None:
        value = getattr(self.record, name)
        values = value if isinstance(value, set | list | tuple) else [value]
        allowed = set(allowed)
        for v in values:
            if not (empty_ok and v == "") and v not in allowed:
                self.add(name, "unknown_code")
                return

    def order(self, earlier: str, later: str) -> None:
        a, b = getattr(self.record, earlier), getattr(self.record, later)
        if a is not None and b is not None and _as_datetime(b) < _as_datetime(a):
            self.add(later, "before", other=earlier)


def _as_datetime(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.astimezone()
    return datetime(value.year, value.month, value.day, 23, 59, 59, tzinfo=UTC)


def _check_school_visit(c: _Checker[SchoolVisit]) -> None:
    c.required("school")
    c.codes("contact_roles", codes.CONTACT_ROLES)
    c.max_length(SHORT_TEXT, "school")
    c.max_length(LONG_TEXT, "note", "agreed_follow_up")
    c.codes("topics", codes.SCHOOL_TOPICS)
    c.order("checked_in_at", "checked_out_at")


def _check_observation(c: _Checker[Observation]) -> None:
    r = c.record
    c.required("place")
    c.max_length(SHORT_TEXT, "place")
    c.max_length(LONG_TEXT, "note", "actions_taken")
    c.codes("categories", codes.OBSERVATION_CATEGORIES)
    c.codes("atmosphere", codes.ATMOSPHERES)
    if r.youth_count is not None and not 0 <= r.youth_count <= MAX_YOUTH_COUNT:
        c.add("youth_count", "out_of_range", low=0, high=MAX_YOUTH_COUNT)
    for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        value = getattr(r, name)
        if value is not None and not low <= value <= high:
            c.add(name, "out_of_range", low=low, high=high)


def _check_follow_up_case(c: _Checker[FollowUpCase]) -> None:
    r = c.record
    c.required("person_name", "concern")
    c.max_length(SHORT_TEXT, "person_name", "address", "guardian_name", "guardian_phone")
    c.max_length(LONG_TEXT, "concern")
    c.codes("services", codes.SERVICES)
    c.codes("concern_categories", codes.OBSERVATION_CATEGORIES)
    c.codes("status", codes.CASE_STATUSES, empty_ok=False)
    c.codes("legal_basis", codes.LEGAL_BASES)
    opened = _as_datetime(r.opened_at).date()
    if r.birth_date is not None:
        if r.birth_date > opened:
            c.add("birth_date", "in_future")
        elif not r.is_minor_on(opened):
            c.add("birth_date", "not_minor")
    if r.identity_number and identity_number_kind(_digits_only(r.identity_number)) is None:
        c.add("identity_number", "invalid_identity_number")
    phone_found = any(f.kind == "phone" for f in find_personal_data(r.guardian_phone))
    if r.guardian_phone and not phone_found:
        c.add("guardian_phone", "invalid_phone")
    c.order("opened_at", "closed_at")
    for action in r.actions:
        if not action.description.strip():
            c.add("actions", "required")
            break
    if any(a.service not in (*codes.SERVICES, "") for a in r.actions):
        c.add("actions", "unknown_code")


def _digits_only(text: str) -> str:
    """An identity number as typed (any spaces, dots, dashes, full-width digits) as 11 digits;
    anything but digits and separators is kept, so that it fails the check."""
    return re.sub(r"[ .\-/_]", "", normalise(text))


def _check_consent(c: _Checker[Consent]) -> None:
    c.required("case_id", "given_by", "recipients", "purpose")
    if c.record.case_id and not codes.UUID_PATTERN.match(c.record.case_id):
        c.add("case_id", "invalid_id")
    c.max_length(SHORT_TEXT, "given_by", "purpose")
    c.codes("recipients", codes.RECIPIENTS, empty_ok=False)
    c.codes("given_by_role", codes.CONSENT_GIVERS, empty_ok=False)
    c.codes("method", codes.CONSENT_METHODS, empty_ok=False)
    c.order("given_at", "expires_at")
    c.order("given_at", "withdrawn_at")


def _check_crisis_callout(c: _Checker[CrisisCallout]) -> None:
    c.codes("event_type", codes.CRISIS_EVENT_TYPES, empty_ok=False)
    c.codes("called_by_role", codes.CALLER_ROLES)
    c.max_length(SHORT_TEXT, "called_by_name", "role")
    c.max_length(LONG_TEXT, "note")
    c.order("called_at", "arrived_at")
    c.order("called_at", "ended_at")
    c.order("arrived_at", "ended_at")


def _check_crisis_contact(c: _Checker[CrisisContact]) -> None:
    c.required("name", "role")
    c.max_length(SHORT_TEXT, "name", "role", "organisation", "phone", "email")
    if c.record.phone.strip() and dial_number(c.record.phone) is None:
        c.add("phone", "invalid_phone")
    if c.record.email.strip() and not valid_email(c.record.email):
        c.add("email", "invalid_email")


def _moments(record: Record) -> Iterable[tuple[str, str, date]]:
    """(field to report, own name, value) for every date and time of a record and of its list
    items (an item's is reported on the list's field)."""
    items: list[tuple[str, object]] = [("", record), *_nested_items(record)]
    for field, item in items:
        for f in dataclasses.fields(item):  # type: ignore[arg-type]
            value = getattr(item, f.name)
            if isinstance(value, date) and f.name not in _NOT_CHECKED:
                yield field or f.name, f.name, value


def _check_moments(c: _Checker[Record]) -> None:
    """Nothing before ``EARLIEST``; what happened not after now (plus a margin); what is
    planned at most ``YEARS_AHEAD`` years ahead. One error per reported field."""
    reported: set[str] = set()
    soon = c.now + HAPPENED_MARGIN
    for field, name, value in _moments(c.record):
        if field in reported:
            continue
        reported.add(field)
        if _as_datetime(value).date() < EARLIEST:
            c.add(field, "too_early", earliest=EARLIEST.strftime("%d.%m.%Y"))
        elif name in PLANNED and _as_datetime(value) > c.now + _AHEAD:
            c.add(field, "too_far_ahead", years=YEARS_AHEAD)
        elif name not in PLANNED and (_as_datetime(value) > soon if isinstance(value, datetime)
                                      else value > soon.date()):
            c.add(field, "in_future")
        else:
            reported.discard(field)


# One check per record type, each given a checker of its own type's record.
_CHECKS: dict[type[Record], Callable[[_Checker[Any]], None]] = {
    SchoolVisit: _check_school_visit,
    Observation: _check_observation,
    FollowUpCase: _check_follow_up_case,
    Consent: _check_consent,
    CrisisCallout: _check_crisis_callout,
    CrisisContact: _check_crisis_contact,
    Meeting: check_meeting,
}


def validation_errors(record: Record, now: datetime | None = None) -> list[FieldError]:
    """Every error of the record; ``now`` (default: the clock) is what "in the future" means."""
    checker = _Checker(record, now)
    check = _CHECKS.get(type(record))
    if check is None:
        raise TypeError(f"no validation for {type(record).__name__}")
    _check_identity_fields(checker, record)
    _check_moments(checker)
    area = getattr(record, "priority_area", "")
    if area and not (isinstance(area, str) and codes.AREA_CODE_PATTERN.match(area)):
        checker.add("priority_area", "unknown_code")
    check(checker)
    return checker.errors


def _nested_items(record: Record) -> Iterable[tuple[str, Any]]:
    """(field name, item) for every dataclass item in a list field (actions, agenda, ...)."""
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if isinstance(value, list):
            for item in value:
                if dataclasses.is_dataclass(item):
                    yield f.name, item


def _check_identity_fields(c: _Checker[Record], record: Record) -> None:
    """Ids are UUIDs and the municipality is a 4-digit number (or not chosen yet): the backend
    indexes and logs them, so they must never be able to carry anything else."""
    municipality = record.municipality
    if municipality and not (isinstance(municipality, str)
                             and codes.MUNICIPALITY_CODE_PATTERN.match(municipality)):
        c.add("municipality", "unknown_code")
    if not (isinstance(record.id, str) and codes.UUID_PATTERN.match(record.id)):
        c.add("id", "invalid_id")
    for name, item in _nested_items(record):
        item_id = getattr(item, "id", None)
        if item_id is not None and not (isinstance(item_id, str)
                                        and codes.UUID_PATTERN.match(item_id)):
            c.add(name, "invalid_id")
            return


def validate(record: Record, now: datetime | None = None) -> None:
    """Raise ValidationError naming every field that is wrong."""
    errors = validation_errors(record, now)
    if errors:
        raise ValidationError(errors)
