"""What was agreed against what is being done, now: the one home of the presence and visit
cadence rules, pure functions for Home and the report.

    compliance(agreement, records, now) -> Compliance
        .schools        [SchoolWindow]  this 14-day window per agreed school: visits so far
        .presence       WeekPresence    this ISO week's presence days against the target
        .next_meeting   AgendaStatus    next council meeting; is its agenda sent, due or late
        .overdue        [OverdueAction] open follow-ups past their due date (meetings, U18 cases)
    school_visits_due(visits, schools, today) -> [SchoolDue]   next visit 14 days after the last
    presence_this_week(records, now) -> bool                  a presence day this ISO week
(an agenda's lead time and whether it is sent, due or late: ``agenda``)

Definitions (the evaluation report uses the same ones):
- Days are Europe/Oslo calendar days, whatever the device's or server's time zone.
- Visit windows are fixed, consecutive periods of ``visit_every_days`` days counted from the
  agreement's ``cadence_anchor`` (a Monday): with 14 days each runs Monday to Sunday a week
  later. Fixed windows make "windows met / missed" countable: one late visit does not shift
  every later window. (Days until the next visit, counted from the last one, is
  ``school_visits_due``: Home shows it for every school served.) A window is met by one visit
  checked in on any of its days.
- A presence day is an Oslo day with a school visit (check-in), an observation, a crisis
  callout (arrival, else call-in) or a held politiråd / SLT working-group meeting in the
  municipality (an intermunicipal council may sit elsewhere, so it does not count). Weeks are
  ISO weeks, Monday to Sunday.
- A record belongs to a municipality by its ``municipality`` code; school visits also by the
  school's name (compared without case or outer spaces).
- Counting starts the day the logbook was taken into use (``counting_start``). A visit window,
  ISO week or meeting half-year that began before it counts only when met: time before the
  app was used is never a miss.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from . import codes
from .agenda import AgendaStatus, agenda_status
from .agreement import Agreement
from .days import oslo_day, week_start
from .meetings import Meeting
from .records import CrisisCallout, FollowUpCase, Observation, Record, SchoolVisit
from .schedule import actions_due

PRESENCE_MEETING_TYPES = ("politirad", "slt_arbeidsgruppe")
SCHOOL_VISIT_CADENCE_DAYS = 14


def belongs(record: Record, agreement: Agreement) -> bool:
    return record.municipality == agreement.municipality


# -- school visit windows --------------------------------------------------------------------


def window_of(day: date, anchor: date, every_days: int) -> tuple[date, date]:
    """First and last day of the fixed window that holds ``day``."""
    index = (day - anchor).days // every_days
    start = anchor + timedelta(days=index * every_days)
    return start, start + timedelta(days=every_days - 1)


def windows_ending_between(anchor: date, every_days: int, first: date,
                           last: date) -> list[tuple[date, date]]:
    """Windows (from the anchor on) whose last day lies in [first, last]."""
    start, end = window_of(max(first, anchor), anchor, every_days)
    result = []
    while end <= last:
        if end >= first:
            result.append((start, end))
        start, end = start + timedelta(days=every_days), end + timedelta(days=every_days)
    return result


def school_key(name: str) -> str:
    return name.strip().casefold()


def visit_days(records: Iterable[Record], agreement: Agreement, school: str) -> list[date]:
    """Oslo check-in days of the visits to one school of the agreement, sorted."""
    key = school_key(school)
    return sorted(oslo_day(r.checked_in_at) for r in records
                  if isinstance(r, SchoolVisit) and belongs(r, agreement)
                  and school_key(r.school) == key)


@dataclass(frozen=True)
class SchoolWindow:
    school: str
    every_days: int
    start: date
    end: date
    visits: int

    @property
    def met(self) -> bool:
        return self.visits > 0

    def days_left(self, today: date) -> int:
        """Days after today that still belong to the window (0 on its last day)."""
        return (self.end - today).days


def school_windows(agreement: Agreement, records: Iterable[Record],
                   today: date) -> list[SchoolWindow]:
    """The current window of every agreed school, in the agreement's order."""
    records = list(records)
    result = []
    for school in agreement.schools:
        start, end = window_of(today, agreement.cadence_anchor, school.visit_every_days)
        days = visit_days(records, agreement, school.name)
        visits = sum(1 for d in days if start <= d <= end)
        result.append(SchoolWindow(school.name, school.visit_every_days, start, end, visits))
    return result


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
    """For every school (configured or visited): when the next visit is due, 14 days after
    the last one's Oslo day. A school never visited is due today. Most urgent first."""
    last: dict[str, tuple[str, date | None]] = {}
    for visit in visits:
        name = visit.school.strip()
        if not name:
            continue
        day = oslo_day(visit.checked_in_at)
        seen = last.get(school_key(name))
        if seen is None or seen[1] is None or day > seen[1]:
            last[school_key(name)] = (name, day)
    for name in schools:
        if school_key(name) and school_key(name) not in last:
            last[school_key(name)] = (name.strip(), None)
    result = []
    for name, last_day in last.values():
        due = today if last_day is None else last_day + timedelta(days=SCHOOL_VISIT_CADENCE_DAYS)
        result.append(SchoolDue(name, last_day, due, (due - today).days))
    return sorted(result, key=lambda d: (d.days_left, d.school.casefold()))


# -- presence ----------------------------------------------------------------------------------


def presence_day(record: Record, now: datetime) -> date | None:
    """The Oslo day on which a record shows the police contact present (None: it does not)."""
    if isinstance(record, SchoolVisit):
        return oslo_day(record.checked_in_at)
    if isinstance(record, Observation):
        return oslo_day(record.observed_at)
    if isinstance(record, CrisisCallout):
        return oslo_day(record.arrived_at or record.called_at)
    if (isinstance(record, Meeting) and record.meeting_type in PRESENCE_MEETING_TYPES
            and record.held_by(now)):
        return oslo_day(record.starts_at)
    return None


def presence_days(records: Iterable[Record], agreement: Agreement, now: datetime) -> set[date]:
    days = (presence_day(r, now) for r in records if belongs(r, agreement))
    return {day for day in days if day is not None}


def presence_this_week(records: Iterable[Record], now: datetime) -> bool:
    """True when a record of any municipality has a presence day in the ISO week of ``now``."""
    start = week_start(oslo_day(now))
    end = start + timedelta(days=7)
    return any(day is not None and start <= day < end
               for day in (presence_day(r, now) for r in records))


def counting_start(records: Iterable[Record], now: datetime) -> date:
    """The earliest Oslo day any record (of any municipality) was entered on, or shows
    presence on (a visit logged afterwards counts from its own day); today with none."""
    days = [oslo_day(now)]
    for record in records:
        days.append(oslo_day(record.created_at))
        present = presence_day(record, now)
        if present is not None:
            days.append(present)
    return min(days)


def iso_week_mondays(first: date, last: date) -> list[date]:
    """Mondays of the ISO weeks whose Thursday lies in [first, last] (the ISO-year rule, so a
    calendar year gets exactly its ISO weeks, week 53 included)."""
    monday = week_start(first)
    if monday + timedelta(days=3) < first:
        monday += timedelta(days=7)
    result = []
    while monday + timedelta(days=3) <= last:
        result.append(monday)
        monday += timedelta(days=7)
    return result


@dataclass(frozen=True)
class WeekPresence:
    monday: date
    days: frozenset[date]
    target: int  # days per week; 0: no target agreed

    @property
    def iso_year(self) -> int:
        return self.monday.isocalendar()[0]

    @property
    def iso_week(self) -> int:
        return self.monday.isocalendar()[1]

    @property
    def met(self) -> bool | None:
        return None if self.target == 0 else len(self.days) >= self.target


def week_presence(agreement: Agreement, days: set[date], monday: date) -> WeekPresence:
    week = frozenset(d for d in days if monday <= d < monday + timedelta(days=7))
    return WeekPresence(monday, week, agreement.presence_days_per_week)


# -- meetings and their agendas ----------------------------------------------------------------


def next_meeting(agreement: Agreement, records: Iterable[Record], now: datetime,
                 types: tuple[str, ...] = codes.COUNCIL_MEETING_TYPES) -> AgendaStatus | None:
    """The next meeting (not cancelled, not yet started) of the given types, with its agenda."""
    upcoming = [r for r in records if isinstance(r, Meeting) and belongs(r, agreement)
                and r.meeting_type in types and not r.cancelled and r.starts_at >= now]
    if not upcoming:
        return None
    meeting = min(upcoming, key=lambda m: m.starts_at)
    return agenda_status(meeting, agreement.agenda_lead_days, oslo_day(now))


# -- follow-up actions -------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueAction:
    source: str      # "meeting" or "follow_up_case"
    record_id: str
    action_id: str
    owner: str       # a role code (meeting) or a service code (U18 case)
    due_date: date
    days_overdue: int


def overdue_actions(records: Iterable[Record], agreement: Agreement,
                    today: date) -> list[OverdueAction]:
    """Open actions due before today, earliest first (texts stay in the records)."""
    records = [r for r in records if belongs(r, agreement)]
    found = [
        OverdueAction("meeting", m.id, a.id, a.owner_role, a.due_date, (today - a.due_date).days)
        for m in records if isinstance(m, Meeting) and not m.cancelled
        for a in m.actions if a.done_at is None and a.due_date is not None and a.due_date < today
    ]
    cases = [r for r in records if isinstance(r, FollowUpCase)]
    found += [OverdueAction("follow_up_case", d.case_id, d.action.id, d.action.service,
                            d.due_date, -d.days_left)
              for d in actions_due(cases, today, within_days=-1)]
    return sorted(found, key=lambda o: (o.due_date, o.source, o.record_id))


# -- Home ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Compliance:
    today: date
    schools: list[SchoolWindow]
    presence: WeekPresence
    next_meeting: AgendaStatus | None
    overdue: list[OverdueAction]


def compliance(agreement: Agreement, records: Iterable[Record], now: datetime) -> Compliance:
    """Everything Home shows about the agreement, at ``now``."""
    records = list(records)
    today = oslo_day(now)
    days = presence_days(records, agreement, now)
    return Compliance(
        today=today,
        schools=school_windows(agreement, records, today),
        presence=week_presence(agreement, days, week_start(today)),
        next_meeting=next_meeting(agreement, records, now),
        overdue=overdue_actions(records, agreement, today),
    )
