"""What the Home screen shows, computed from the logbook (no flet here: tested without a client).

The date rules themselves live in the domain: days in ``days`` (Europe/Oslo), presence and the
visit cadence in ``tracking``, follow-up actions due in ``schedule``. The first-run guide's
steps (``setup_steps``) are here too: municipalities served, an agreement for each, schools in
each, and the optional enrolment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fieldapp.current import Current
from fieldapp.domain import Observation, SchoolVisit
from fieldapp.domain.agreement import Agreement, agreement_for
from fieldapp.domain.days import oslo_day
from fieldapp.domain.tracking import (
    SchoolDue,
    presence_this_week,
    school_key,
    school_visits_due,
)
from fieldapp.logbook import Logbook
from sync.status import waiting_count

from ..agreement.presenter import route_id

HOME_DAYS_BACK = 7  # this ISO week, whatever weekday today is


@dataclass
class TodayStatus:
    presence_done: bool
    schools: list[SchoolDue] = field(default_factory=list)
    actions_due: int = 0  # open actions of open U18 cases due today or earlier
    waiting_sync: int = 0
    observations_today: int = 0
    open_visit: SchoolVisit | None = None


def open_visit(logbook: Logbook, records: list[Any] | None = None) -> SchoolVisit | None:
    """The latest school visit without a check-out, if any (from ``records`` when given)."""
    if records is None:
        records = logbook.list(SchoolVisit)
    visits = [r for r in records if isinstance(r, SchoolVisit) and r.checked_out_at is None]
    return max(visits, key=lambda v: v.checked_in_at) if visits else None


def home_records(logbook: Logbook, now: datetime, agreements: Iterable[Agreement]) -> Current:
    """What Home reads (``Logbook.current``): this week, the longest current school window of
    ``agreements``, what stays relevant whatever its date, and the open cases' due dates.
    Its records are shared: never change them."""
    every = [s.visit_every_days for a in agreements for s in a.schools]
    return logbook.current(oslo_day(now), max([HOME_DAYS_BACK, *every]))


def today_status(logbook: Logbook, now: datetime, current: Current | None = None) -> TodayStatus:
    """``current``: ``home_records`` (one read), else made from every record; the waiting
    count comes from the sync states of the whole logbook either way."""
    today = oslo_day(now)
    current = Current.of(logbook.list()) if current is None else current
    records = current.records
    visits = [r for r in records if isinstance(r, SchoolVisit)]
    return TodayStatus(
        presence_done=presence_this_week(records, now),
        schools=school_visits_due(visits, logbook.served.schools(), today),
        actions_due=current.case_actions_due(today),
        waiting_sync=waiting_count(logbook),
        observations_today=sum(1 for r in records if isinstance(r, Observation)
                               and oslo_day(r.observed_at) == today),
        open_visit=open_visit(logbook, records),
    )


def other_schools(schools: list[SchoolDue], agreed: set[str]) -> list[SchoolDue]:
    """The schools served outside every agreement (``agreed``: tracking.school_key names)."""
    return [s for s in schools if school_key(s.school) not in agreed]


def school_due_key(due: SchoolDue) -> tuple[str, dict[str, Any]]:
    """The string key and parameters that say when a school's next visit is due."""
    if due.days_left < 0:
        return "home.school_overdue", {"school": due.school, "days": -due.days_left}
    if due.days_left == 0:
        return "home.school_due_today", {"school": due.school}
    return "home.school_due_in", {"school": due.school, "days": due.days_left}


def days_between(earlier: date, later: date) -> int:
    return (later - earlier).days


# -- the first-run guide ----------------------------------------------------------------------

@dataclass(frozen=True)
class GuideStep:
    """One line of Home's "Kom i gang": its name (``home.guide.<name>``), done, where it leads."""

    name: str
    done: bool
    route: str
    optional: bool = False


def _school_count(logbook: Logbook, code: str, names: tuple[str, ...]) -> int:
    agreement = agreement_for(code, logbook.agreements.all())
    return len(names) + (len(agreement.schools) if agreement is not None else 0)


def setup_steps(logbook: Logbook, enrolled: Callable[[], set[str]]) -> list[GuideStep]:
    """The four steps of a new police contact: the municipalities served, an agreement for
    each (a signed default counts), at least one school in each, and (optional) the phone
    enrolled with each municipality's backend. ``enrolled``: the municipality codes with an
    enrolment ("" for a backend that takes every municipality), read only when asked."""
    served = logbook.served.all()
    stored = logbook.agreements.all()
    without_agreement = [m.code for m in served if agreement_for(m.code, stored) is None]
    agreement_route = ("/settings/agreement/" + route_id(without_agreement[0])
                       if without_agreement else "/settings")
    codes = {m.code for m in served}
    enrolled_codes = enrolled() if served else set()
    return [
        GuideStep("municipality", bool(served), "/settings"),
        GuideStep("agreement", bool(served) and not without_agreement, agreement_route),
        GuideStep("schools", bool(served) and all(
            _school_count(logbook, m.code, m.schools) for m in served), "/settings"),
        GuideStep("enrolment", bool(served) and ("" in enrolled_codes
                                                 or codes <= enrolled_codes),
                  "/synk", optional=True),
    ]


def guide_needed(logbook: Logbook) -> bool:
    """Home shows the guide until the municipalities, their agreements and schools are set
    (enrolment is optional); checked without reading the enrolments."""
    return not all(s.done for s in setup_steps(logbook, set) if not s.optional)
