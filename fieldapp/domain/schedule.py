"""Date rules of the agreements: the 14-day school cadence, weekly presence, actions falling due.

Pure functions of records and a given day (standard library only); the UI shows the results.

    school_visits_due(visits, schools, today) -> [SchoolDue]   most urgent first
    presence_this_week(records, today) -> bool
    actions_due(cases, today, within_days=0) -> [DueAction]    earliest first
    cases_by_urgency(cases, today) -> [FollowUpCase]           due first, closed last
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .records import (
    CrisisCallout,
    FollowUpAction,
    FollowUpCase,
    Observation,
    Record,
    SchoolVisit,
)

SCHOOL_VISIT_CADENCE_DAYS = 14


def local_day(moment: datetime | date) -> date:
    """The calendar day of a moment in the device's local time zone."""
    if isinstance(moment, datetime):
        return (moment.astimezone() if moment.tzinfo else moment).date()
    return moment


def week_start(day: date) -> date:
    """Monday of the ISO week that holds ``day``."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class SchoolDue:
    school: str
    last_visit: date | None
    due_on: date
    days_left: int  # negative: overdue by that many days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def school_visits_due(visits: Iterable[SchoolVisit], schools: Iterable[str],
                      today: date) -> list[SchoolDue]:
    """For every school (configured or visited): when the next visit is due.

    A school never visited is due today. Names are compared without case or outer spaces.
    """
    last: dict[str, tuple[str, date]] = {}
    for visit in visits:
        name = visit.school.strip()
        if not name:
            continue
        key = name.casefold()
        day = local_day(visit.checked_in_at)
        if key not in last or day > last[key][1]:
            last[key] = (name, day)
    result = []
    for name in schools:
        key = name.strip().casefold()
        if key and key not in last:
            last[key] = (name.strip(), None)  # type: ignore[assignment]
    for name, day in last.values():
        due = today if day is None else day + timedelta(days=SCHOOL_VISIT_CADENCE_DAYS)
        result.append(SchoolDue(name, day, due, (due - today).days))
    return sorted(result, key=lambda d: (d.days_left, d.school.casefold()))


def activity_day(record: Record) -> date | None:
    """The day a record shows the police contact present in the municipality."""
    if isinstance(record, SchoolVisit):
        return local_day(record.checked_in_at)
    if isinstance(record, Observation):
        return local_day(record.observed_at)
    if isinstance(record, CrisisCallout):
        return local_day(record.arrived_at or record.called_at)
    return None


def presence_this_week(records: Iterable[Record], today: date) -> bool:
    """True when a school visit, observation or callout falls in this ISO week (Mon-Sun)."""
    start = week_start(today)
    end = start + timedelta(days=7)
    return any(day is not None and start <= day < end
               for day in (activity_day(r) for r in records))


@dataclass(frozen=True)
class DueAction:
    case_id: str
    action: FollowUpAction
    due_date: date
    days_left: int


def open_actions(case: FollowUpCase) -> list[FollowUpAction]:
    return [a for a in case.actions if a.done_at is None]


def actions_due(cases: Iterable[FollowUpCase], today: date,
                within_days: int = 0) -> list[DueAction]:
    """Open actions of open cases due on or before ``today + within_days``, earliest first."""
    limit = today + timedelta(days=within_days)
    due = [
        DueAction(case.id, action, action.due_date, (action.due_date - today).days)
        for case in cases if case.status == "open"
        for action in open_actions(case)
        if action.due_date is not None and action.due_date <= limit
    ]
    return sorted(due, key=lambda d: (d.due_date, d.case_id))


def next_due_date(case: FollowUpCase) -> date | None:
    dates = [a.due_date for a in open_actions(case) if a.due_date is not None]
    return min(dates) if dates else None


def cases_by_urgency(cases: Iterable[FollowUpCase], today: date) -> list[FollowUpCase]:
    """Open cases with the earliest open action first, then open cases without a due date
    (newest first), then closed cases."""
    def key(case: FollowUpCase) -> tuple[int, date, float]:
        if case.status != "open":
            return (2, date.max, -case.opened_at.timestamp())
        due = next_due_date(case)
        if due is None:
            return (1, date.max, -case.opened_at.timestamp())
        return (0, due, -case.opened_at.timestamp())
    return sorted(cases, key=key)
