"""The yearly (or half-yearly) evaluation: what the agreement asked against what was done.

    report = build_evaluation(agreement, records, Period.year(2026), as_of=now)
    pdf_bytes = render_pdf(report)           # fieldapp.report.pdf
    text = to_csv(report)                    # fieldapp.report.csv_export

Input is a plain list of records, so the municipal backend can build the same report from what
it received; only shareable fields are read. The report holds aggregates only, already passed
through ``disclosure`` (read its rules there). Definitions of windows, weeks and presence days
are those of ``fieldapp.domain.tracking``:
- school visits: the fixed 14-day windows whose last day lies in the period; a window that has
  ended is met or missed; the window running at ``as_of`` is "open" until it is met.
- presence: the ISO weeks whose Thursday lies in the period (a calendar year gets exactly its
  ISO weeks, so 2026-12-28..2027-01-03, week 53, belongs to 2026); the running week is open
  until met.
- meetings: held = not cancelled and started by ``as_of``. Each calendar half-year (or year) of
  a target is assessed when it lies wholly inside the period: met, missed, or ongoing.
- counting starts when the logbook was taken into use (``tracking.counting_start``): a window,
  week or half-year that began before that day is counted only when met, never missed
  (``started`` in the report; ``counts_from`` says whether it cuts into the period).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from fieldapp.domain import codes
from fieldapp.domain.agenda import agenda_on_time
from fieldapp.domain.agreement import Agreement, MeetingTarget
from fieldapp.domain.days import oslo_day
from fieldapp.domain.meetings import Meeting
from fieldapp.domain.records import CrisisCallout, FollowUpCase, Observation, Record, SchoolVisit
from fieldapp.domain.tracking import (
    belongs,
    counting_start,
    iso_week_mondays,
    presence_days,
    school_key,
    visit_days,
    week_presence,
    windows_ending_between,
)

from . import hierarchy
from .activity import (
    AreaActivity,
    CalloutFigures,
    CaseFigures,
    ObservationFigures,
    area_activity,
    callout_figures,
    case_figures,
    moment_in,
    observation_figures,
)
from .period import Period

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class SchoolCadence:
    school: str
    every_days: int
    windows_met: int
    windows_missed: int
    window_open: bool    # the running window, not yet met: counted neither way
    visits: int          # visits in the period
    first_day: date | None = None   # first day of the first window counted (None: none yet)
    last_day: date | None = None    # last day counted of the last window counted


@dataclass(frozen=True)
class PresenceFigures:
    target: int          # days per week; 0: no target agreed
    weeks_met: int
    weeks_missed: int
    week_open: bool
    days_present: int


@dataclass(frozen=True)
class MeetingBucket:
    period: Period
    held: int
    verdict: str  # "met", "missed", "ongoing", "not_assessed" (not wholly inside), "no_target"


@dataclass(frozen=True)
class MeetingFigures:
    meeting_type: str
    target: MeetingTarget | None
    buckets: tuple[MeetingBucket, ...]
    held: int
    agendas_on_time: int
    agendas_late: int
    agendas_unknown: int


@dataclass(frozen=True)
class EvaluationReport:
    agreement: Agreement
    period: Period
    as_of: datetime
    last_day: date       # the last day counted: the period's end, or as_of's day if earlier
    started: date        # the day the logbook was taken into use (``counting_start``)
    schools: tuple[SchoolCadence, ...]
    other_school_visits: int
    presence: PresenceFigures
    meetings: tuple[MeetingFigures, ...]
    observations: ObservationFigures
    cases: CaseFigures
    callouts: CalloutFigures
    priority_areas: tuple[AreaActivity, ...]

    @property
    def late_start(self) -> date | None:
        """The day counting starts when the logbook was taken into use after the period began
        (the report says so); None when it was in use from the period's first day."""
        return self.started if self.started > self.period.start else None


def _school_cadence(agreement: Agreement, records: list[Record], period: Period,
                    today: date, started: date) -> list[SchoolCadence]:
    """``today``: the Oslo day of as_of; a window has ended when its last day is before it.
    A window that began before ``started`` is counted only when met."""
    result = []
    for school in agreement.schools:
        days = visit_days(records, agreement, school.name)
        met = missed = 0
        open_window = False
        counted: list[tuple[date, date]] = []
        windows = windows_ending_between(agreement.cadence_anchor, school.visit_every_days,
                                         period.start, period.end)
        for start, end in windows:
            if start > today:
                break
            visited = any(start <= d <= end and d <= today for d in days)
            if visited:
                met += 1
            elif end >= today:
                open_window = True
            elif start >= started:
                missed += 1
            else:
                continue
            counted.append((start, end))
        visits = sum(1 for d in days if period.contains(d) and d <= today)
        first = counted[0][0] if counted else None
        last = min(counted[-1][1], today, period.end) if counted else None
        result.append(SchoolCadence(school.name, school.visit_every_days, met, missed,
                                    open_window, visits, first, last))
    return result


def _other_school_visits(agreement: Agreement, records: list[Record], period: Period,
                         today: date) -> int:
    agreed = {school_key(s.name) for s in agreement.schools}
    return sum(1 for r in records if isinstance(r, SchoolVisit) and belongs(r, agreement)
               and school_key(r.school) not in agreed
               and moment_in(period, r.checked_in_at, today))


def _presence(agreement: Agreement, records: list[Record], period: Period,
              as_of: datetime, today: date, started: date) -> PresenceFigures:
    """A week of the period counts all its days, also those just outside the period; a week
    that began before ``started`` counts only when met."""
    days = {d for d in presence_days(records, agreement, as_of) if d <= today}
    met = missed = 0
    open_week = False
    for monday in iso_week_mondays(period.start, period.end):
        if monday > today:
            break
        week = week_presence(agreement, days, monday)
        if week.met:
            met += 1
        elif week.met is False and monday + timedelta(days=6) < today:
            missed += 1 if monday >= started else 0
        elif week.met is False:
            open_week = True
    in_period = sum(1 for d in days if period.contains(d))
    return PresenceFigures(agreement.presence_days_per_week, met, missed, open_week, in_period)


def _bucket(held_days: list[date], bucket: Period, period: Period, target: MeetingTarget,
            today: date, started: date) -> MeetingBucket:
    part = bucket.clip(period)
    held = sum(1 for d in held_days if part is not None and part.contains(d))
    if not period.covers(bucket):
        verdict = "not_assessed"
    elif held >= target.count:
        verdict = "met"
    elif bucket.end < today and bucket.start < started:
        verdict = "before_start"
    elif bucket.end < today:
        verdict = "missed"
    else:
        verdict = "ongoing"
    return MeetingBucket(bucket, held, verdict)


def _meeting_figures(agreement: Agreement, meetings: list[Meeting], period: Period,
                     as_of: datetime, today: date, started: date) -> list[MeetingFigures]:
    """``today``: the Oslo day of as_of; a half-year (year) is missed once it has ended."""
    result = []
    for meeting_type in codes.MEETING_TYPES:
        held = [m for m in meetings if m.meeting_type == meeting_type and m.held_by(as_of)
                and moment_in(period, m.starts_at, today)]
        target = agreement.target_for(meeting_type)
        if target is None and not held:
            continue
        held_days = [oslo_day(m.starts_at) for m in held]
        if target is None:
            buckets = [MeetingBucket(period, len(held), "no_target")]
        else:
            buckets = [_bucket(held_days, b, period, target, today, started)
                       for b in period.buckets(target.per) if b.start <= today]
        on_time = [agenda_on_time(m, agreement.agenda_lead_days) for m in held]
        result.append(MeetingFigures(
            meeting_type, target, tuple(buckets), len(held), on_time.count(True),
            on_time.count(False), on_time.count(None)))
    return result


@dataclass(frozen=True)
class _Activity:
    observations: ObservationFigures
    cases: CaseFigures
    callouts: CalloutFigures
    priority_areas: tuple[AreaActivity, ...]


def _activity(agreement: Agreement, records: list[Record], period: Period,
              as_of: datetime) -> _Activity:
    """The counts about people (and the priority areas' activity) of one period."""
    last_day = min(period.end, oslo_day(as_of))

    def in_period(kind: type[R], moment: str) -> list[R]:
        return [r for r in records if isinstance(r, kind)
                and moment_in(period, getattr(r, moment), last_day)]

    observed = in_period(Observation, "observed_at")
    called = in_period(CrisisCallout, "called_at")
    observations = observation_figures(observed, period)
    callouts = callout_figures(called)
    held = [m for m in in_period(Meeting, "starts_at") if m.held_by(as_of)]
    activity = [*in_period(SchoolVisit, "checked_in_at"), *observed, *called,
                *in_period(FollowUpCase, "opened_at")]
    cases = [r for r in records if isinstance(r, FollowUpCase)]
    highs = (observations.total_high, callouts.total_high)
    return _Activity(observations, case_figures(cases, period, last_day), callouts,
                     tuple(area_activity(agreement, activity, held, highs)))


def _added_up(whole: _Activity, parts: list[_Activity]) -> _Activity:
    """Counts that add up over time from the parts' published figures (``hierarchy``)."""
    return _Activity(
        hierarchy.observations(whole.observations, [p.observations for p in parts]),
        hierarchy.cases(whole.cases, [p.cases for p in parts]),
        hierarchy.callouts(whole.callouts, [p.callouts for p in parts]),
        hierarchy.areas(whole.priority_areas, [p.priority_areas for p in parts]))


def build_evaluation(agreement: Agreement, records: list[Record], period: Period,
                     as_of: datetime) -> EvaluationReport:
    """The evaluation of one municipality's agreement over a period, as it stands at ``as_of``.
    Counts about people over several half-years add up the half-years' figures."""
    started = counting_start(records, as_of)
    records = [r for r in records if belongs(r, agreement)]
    today = oslo_day(as_of)
    people = _activity(agreement, records, period, as_of)
    parts = period.parts()
    if len(parts) > 1:
        people = _added_up(people, [_activity(agreement, records, p, as_of) for p in parts])
    meetings = [r for r in records if isinstance(r, Meeting)]
    return EvaluationReport(
        agreement=agreement, period=period, as_of=as_of, last_day=min(period.end, today),
        started=started,
        schools=tuple(_school_cadence(agreement, records, period, today, started)),
        other_school_visits=_other_school_visits(agreement, records, period, today),
        presence=_presence(agreement, records, period, as_of, today, started),
        meetings=tuple(_meeting_figures(agreement, meetings, period, as_of, today, started)),
        observations=people.observations, cases=people.cases, callouts=people.callouts,
        priority_areas=people.priority_areas,
    )
