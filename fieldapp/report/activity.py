"""Activity figures of the evaluation: observations, U18 follow-up cases, crisis callouts and
the activity linked to each priority area. Every count about people goes through
``disclosure`` (see its rules); only shareable fields of the records are read, so the municipal
backend gets the same figures from what it received.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from fieldapp.domain import codes
from fieldapp.domain.agreement import Agreement, area_title
from fieldapp.domain.days import oslo_day
from fieldapp.domain.meetings import Meeting
from fieldapp.domain.records import (
    CrisisCallout,
    FollowUpCase,
    Observation,
    Record,
    SchoolVisit,
)

from . import texts
from .disclosure import (
    Breakdown,
    Figure,
    Row,
    breakdown,
    capped,
    highest_total,
    is_exact,
    median_minutes,
    place_table,
    suppress,
)
from .period import Period


@dataclass(frozen=True)
class ObservationFigures:
    total: Figure | None
    by_month: Breakdown      # keys "YYYY-MM"
    by_category: Breakdown   # keys: codes.OBSERVATION_CATEGORIES (an observation may have several)
    by_place: Breakdown      # keys: place names, small ones pooled into disclosure.OTHER_PLACES
    total_high: int | None = None  # withheld total: the greatest total the months allow


@dataclass(frozen=True)
class CaseFigures:
    opened: Figure
    closed: Figure
    overdue: Figure  # open at the end of the period with an action past its due date


@dataclass(frozen=True)
class CalloutRow:
    event_type: str
    count: Figure | None
    median_response_minutes: int | None  # arrived_at - called_at; None under 3 responses


@dataclass(frozen=True)
class CalloutFigures:
    rows: tuple[CalloutRow, ...]
    total: Figure | None
    median_response_minutes: int | None
    total_high: int | None = None  # withheld total: the greatest total the rows allow


@dataclass(frozen=True)
class AreaActivity:
    code: str
    title_nb: str
    title_en: str
    highest: bool
    meetings: int        # held meetings linked to the area (meeting, agenda item or decision)
    decisions: int
    school_visits: int
    observations: Figure | None
    callouts: Figure | None
    cases: Figure | None

    def title(self, lang: str) -> str:
        return area_title(self.title_nb, self.title_en, lang)

    def heading(self, lang: str) -> str:
        """The title, with the mark of the area weighted highest (report and screen)."""
        return f"{self.title(lang)} {texts.text('highest', lang)}" if self.highest \
            else self.title(lang)


def observation_figures(observations: list[Observation], period: Period) -> ObservationFigures:
    """Per month, category and place (``disclosure`` rules 1, 3-6); categories of a period with
    several parts are added up from the parts by ``hierarchy``."""
    months = [f"{y:04d}-{m:02d}" for y, m in period.months()]
    by_month = Counter(oslo_day(o.observed_at).strftime("%Y-%m") for o in observations)
    by_category = Counter(c for o in observations for c in o.categories)
    spelling: dict[str, str] = {}
    parts = period.parts()
    by_place: list[Counter[str]] = [Counter() for _ in parts]
    for o in observations:
        key = o.place.strip().casefold()
        name = spelling.setdefault(key, o.place.strip())
        day = oslo_day(o.observed_at)
        by_place[next(i for i, p in enumerate(parts) if p.contains(day))][name] += 1
    month_table = breakdown(by_month, months, total=len(observations))
    high = None if month_table.total is not None else \
        highest_total(r.value for r in month_table.rows if r.value is not None)
    categories = Breakdown(tuple(Row(c, capped(by_category[c], high))
                                 for c in codes.OBSERVATION_CATEGORIES), None)
    return ObservationFigures(month_table.total, month_table, categories,
                              place_table(by_place, high is None), high)


def _open_on(case: FollowUpCase, day: date) -> bool:
    if oslo_day(case.opened_at) > day:
        return False
    if case.closed_at is not None:
        return oslo_day(case.closed_at) > day
    return case.status == "open"


def _overdue_on(case: FollowUpCase, day: date) -> bool:
    return _open_on(case, day) and any(
        a.due_date is not None and a.due_date < day
        and (a.done_at is None or oslo_day(a.done_at) > day)
        for a in case.actions)


def case_figures(cases: list[FollowUpCase], period: Period, last_day: date) -> CaseFigures:
    """Counts only. ``last_day``: the period's end, or today when the period is not over."""
    opened = sum(1 for c in cases if period.contains(oslo_day(c.opened_at))
                 and oslo_day(c.opened_at) <= last_day)
    closed = sum(1 for c in cases if c.closed_at is not None
                 and period.contains(oslo_day(c.closed_at)) and oslo_day(c.closed_at) <= last_day)
    overdue = sum(1 for c in cases if _overdue_on(c, last_day))
    return CaseFigures(suppress(opened), suppress(closed), suppress(overdue))


def _response_minutes(callout: CrisisCallout) -> float | None:
    if callout.arrived_at is None:
        return None
    return (callout.arrived_at - callout.called_at).total_seconds() / 60


def callout_figures(callouts: list[CrisisCallout]) -> CalloutFigures:
    rows = []
    for event_type in codes.CRISIS_EVENT_TYPES:
        mine = [c for c in callouts if c.event_type == event_type]
        times = [t for t in map(_response_minutes, mine) if t is not None]
        rows.append(CalloutRow(event_type, suppress(len(mine)), median_minutes(times)))
    everything = [t for t in map(_response_minutes, callouts) if t is not None]
    exact = all(is_exact(r.count) for r in rows)
    high = None if exact else highest_total(r.count for r in rows if r.count is not None)
    total = suppress(len(callouts)) if exact else None
    return CalloutFigures(tuple(rows), total, median_minutes(everything), high)


def linked_areas(record: Record) -> set[str]:
    """Priority areas a record is linked to. Meetings link through the meeting, its agenda
    items and decisions; other records through a ``priority_area`` code or ``priority_areas``
    set, read when present (activity records get such a field in a later change)."""
    found: set[str] = set(getattr(record, "priority_areas", set()) or set())
    single = getattr(record, "priority_area", "")
    if single:
        found.add(single)
    if isinstance(record, Meeting):
        found |= {i.priority_area for i in record.agenda if i.priority_area}
        found |= {d.priority_area for d in record.decisions if d.priority_area}
    return found


def area_activity(agreement: Agreement, records: list[Record], held_meetings: list[Meeting],
                  highs: tuple[int | None, int | None] = (None, None)) -> list[AreaActivity]:
    """``records``: the period's activity records; ``held_meetings``: the period's held meetings;
    ``highs``: the withheld observation and callout totals' greatest values (rule 5)."""
    highest = agreement.highest_priority()
    result = []
    for area in agreement.priority_areas:
        linked = [r for r in records if area.code in linked_areas(r)]
        meetings = [m for m in held_meetings if area.code in linked_areas(m)]
        decisions = sum(1 for m in meetings for d in m.decisions
                        if d.priority_area == area.code
                        or (not d.priority_area and area.code in m.priority_areas))

        def count(kind: type, rows: list[Record] = linked) -> int:
            return sum(1 for r in rows if isinstance(r, kind))

        result.append(AreaActivity(
            area.code, area.title_nb, area.title_en, highest is area, len(meetings), decisions,
            count(SchoolVisit), capped(count(Observation), highs[0]),
            capped(count(CrisisCallout), highs[1]), suppress(count(FollowUpCase))))
    return result


def moment_in(period: Period, moment: datetime | None, last_day: date) -> bool:
    """The moment's Oslo day lies in the period and not after ``last_day``."""
    if moment is None:
        return False
    day = oslo_day(moment)
    return period.contains(day) and day <= last_day
