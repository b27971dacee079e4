"""The records that still matter today: what Home reads, without going through a year's logbook.

Home shows this week's presence, the schools' visit windows, the open visit, today's
observations, the actions falling due, the next meeting and the records without a
municipality. Everything it computes depends only on:

* every meeting (a handful a year: agendas, decisions, their actions);
* of the open U18 cases, only how many open actions fall due by a day, per municipality
  (``Current.case_actions_due``: kept as sorted due dates, so a thousand open cases cost
  Home a bisection, not a thousand records);
* every visit not checked out, and the latest visit to each school (when the next is due);
* the visits, observations and callouts dated within the days asked for (this week, the
  schools' current windows);
* every record without a municipality, and the case of such a consent (a consent takes its
  case's municipality).

``CurrentIndex`` keeps those sets up to date as ``DecodedRecords`` decodes and forgets records
(so at most once per stored revision), and ``select`` joins them for a window of days into a
``Current``. ``Current.of(records)`` makes the same from a list of every record. The records
handed out are the decoded records themselves, shared: read them, never change them (change a
record read with ``Logbook.get``).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from .domain import Consent, FollowUpCase, Record, SchoolVisit
from .domain.meetings import Meeting
from .domain.schedule import open_actions
from .domain.tracking import presence_day, school_key
from .home import LOCAL_ONLY_KINDS

BEFORE_EVERY_MEETING = datetime.min.replace(tzinfo=UTC)


def case_due_dates(record: Record) -> list[date]:
    """Due dates of an open case's open actions (``schedule.actions_due``'s rule); [] for a
    closed case and for any other record."""
    if not isinstance(record, FollowUpCase) or record.status != "open":
        return []
    return [a.due_date for a in open_actions(record) if a.due_date is not None]


@dataclass(frozen=True)
class Current:
    """What Home reads: ``records`` (from the index, U18 cases only where a record without a
    municipality needs them: Home takes open actions from ``due``) and the due dates of open
    actions in open cases, sorted, per municipality."""

    records: list[Record]
    due: dict[str, list[date]]

    @classmethod
    def of(cls, records: Iterable[Record]) -> Current:
        """The same from every record (what Home read before the index)."""
        kept = list(records)
        due: dict[str, list[date]] = {}
        for record in kept:
            dates = case_due_dates(record)
            if dates:
                due.setdefault(record.municipality, []).extend(dates)
        return cls(kept, {m: sorted(d) for m, d in due.items()})

    def case_actions_due(self, by: date, municipality: str | None = None) -> int:
        """Open actions of open cases due on or before ``by`` (of one municipality, or all)."""
        lists = self.due.values() if municipality is None else [self.due.get(municipality, [])]
        return sum(bisect.bisect_right(dates, by) for dates in lists)


def dated_day(record: Record) -> date | None:
    """The Oslo day a visit, observation or callout happened on (None for other kinds):
    ``tracking.presence_day`` at a moment before any meeting was held."""
    return presence_day(record, BEFORE_EVERY_MEETING)


class CurrentIndex:
    def __init__(self) -> None:
        self._meetings: dict[str, Record] = {}
        self._due: dict[str, list[date]] = {}  # municipality -> sorted due dates
        self._open_visits: dict[str, Record] = {}
        self._visits_by_school: dict[str, dict[str, SchoolVisit]] = {}
        self._latest: dict[str, SchoolVisit | None] = {}  # school key -> latest; None: stale
        self._by_day: dict[date, dict[str, Record]] = {}
        self._without_home: dict[str, Record] = {}
        self._cases: dict[str, Record] = {}  # every case: a homeless consent's case is found

    def clear(self) -> None:
        for found in (self._meetings, self._due, self._open_visits,
                      self._visits_by_school, self._latest, self._by_day, self._without_home,
                      self._cases):
            found.clear()

    def added(self, record: Record) -> None:
        rid = record.id
        if isinstance(record, Meeting):
            self._meetings[rid] = record
        elif isinstance(record, FollowUpCase):
            self._cases[rid] = record
            for due in case_due_dates(record):
                bisect.insort(self._due.setdefault(record.municipality, []), due)
        elif isinstance(record, SchoolVisit):
            if record.checked_out_at is None:
                self._open_visits[rid] = record
            key = school_key(record.school)
            self._visits_by_school.setdefault(key, {})[rid] = record
            latest = self._latest.get(key)
            if latest is not None and _later(record, latest):
                self._latest[key] = record
            elif key not in self._latest:
                self._latest[key] = None
        day = dated_day(record)
        if day is not None:
            self._by_day.setdefault(day, {})[rid] = record
        if not record.municipality and record.kind not in LOCAL_ONLY_KINDS:
            self._without_home[rid] = record

    def removed(self, record: Record) -> None:
        rid = record.id
        for found in (self._meetings, self._open_visits, self._without_home, self._cases):
            found.pop(rid, None)
        for due in case_due_dates(record):
            dates = self._due[record.municipality]
            del dates[bisect.bisect_left(dates, due)]
        if isinstance(record, SchoolVisit):
            key = school_key(record.school)
            visits = self._visits_by_school.get(key, {})
            visits.pop(rid, None)
            if not visits:
                self._visits_by_school.pop(key, None)
                self._latest.pop(key, None)
            elif self._latest.get(key) is record:
                self._latest[key] = None  # found again when asked
        day = dated_day(record)
        if day is not None:
            on_day = self._by_day.get(day, {})
            on_day.pop(rid, None)
            if not on_day:
                self._by_day.pop(day, None)

    def restated(self, before: Record, after: Record) -> None:
        """``after`` in ``before``'s place wherever it is kept: the same record in another
        sync state (which nothing here depends on), so its place is not worked out again."""
        rid = after.id
        for found in (self._meetings, self._open_visits, self._without_home, self._cases):
            if rid in found:
                found[rid] = after
        if isinstance(after, SchoolVisit):
            key = school_key(after.school)
            self._visits_by_school[key][rid] = after
            if self._latest.get(key) is before:
                self._latest[key] = after
        day = dated_day(after)
        if day is not None:
            self._by_day[day][rid] = after

    def select(self, today: date, days_back: int, days_ahead: int = 7) -> Current:
        """What Home needs for ``today``; its records oldest first (by ``created_at``)."""
        chosen: dict[str, Record] = {}
        for group in (self._meetings, self._open_visits, self._without_home):
            chosen.update(group)
        for key in self._visits_by_school:
            latest = self._latest_visit(key)
            chosen[latest.id] = latest
            # the others of that day too: the name Home shows is the day's first spelling
            latest_day = dated_day(latest)
            for record in self._by_day.get(latest_day, {}).values() if latest_day else ():
                if isinstance(record, SchoolVisit) and school_key(record.school) == key:
                    chosen[record.id] = record
        if len(self._by_day) <= days_back + days_ahead + 1:
            days: Iterable[date] = list(self._by_day)
        else:
            days = (today + timedelta(days=d) for d in range(-days_back, days_ahead + 1))
        first, last = today - timedelta(days=days_back), today + timedelta(days=days_ahead)
        for day in days:
            if first <= day <= last and day in self._by_day:
                chosen.update(self._by_day[day])
        for record in self._without_home.values():
            if isinstance(record, Consent) and record.case_id in self._cases:
                chosen[record.case_id] = self._cases[record.case_id]
        records = sorted(chosen.values(), key=lambda r: r.created_at)
        return Current(records, {m: list(d) for m, d in self._due.items() if d})

    def _latest_visit(self, key: str) -> SchoolVisit:
        latest = self._latest.get(key)
        if latest is None:
            latest = None
            for visit in self._visits_by_school[key].values():
                if latest is None or _later(visit, latest):
                    latest = visit
            assert latest is not None  # a school is indexed only while it has visits
            self._latest[key] = latest
        return latest


def _later(visit: SchoolVisit, than: SchoolVisit) -> bool:
    """Whether ``visit`` is the later one by check-in time (ties: the later id, stable)."""
    return (visit.checked_in_at, visit.id) > (than.checked_in_at, than.id)
