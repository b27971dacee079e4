"""Report figures from a generated year, against expectations worked out here independently:
days through zoneinfo, windows by stepping from the anchor, weeks by ``date.isocalendar``,
medians by ``statistics``, and the "<3" rule written out again."""

from __future__ import annotations

import dataclasses
import statistics
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from fieldapp.domain.agreement import default_agreement
from fieldapp.domain.meetings import Meeting
from fieldapp.domain.records import (
    CrisisCallout,
    FollowUpCase,
    Observation,
    SchoolVisit,
)
from fieldapp.domain.sensitivity import Sensitivity, sensitivity_of
from fieldapp.report import Period, build_evaluation
from fieldapp.report.disclosure import OTHER_PLACES
from tests.report.yeardata import GJESDAL, OSLO, SCHOOL, generated_year, oslo

AGREEMENT = default_agreement("gjesdal")
AFTER_YEAR = datetime(2027, 1, 15, 9, tzinfo=UTC)


def shown(n: int):
    return "<3" if n in (1, 2) else n


def added(*counts: int):
    """The year's figure from its half-years' counts, written out again: exact when every half
    is exact (0 or 3+), else the range the halves' figures allow ("<3" for 1-2)."""
    low = sum(1 if n in (1, 2) else n for n in counts)
    high = sum(2 if n in (1, 2) else n for n in counts)
    return low if low == high else "<3" if (low, high) == (1, 2) else f"{low}–{high}"


def halves(moments: list[datetime]) -> tuple[int, int]:
    first = sum(1 for m in moments if day_of(m).year == 2026 and day_of(m).month <= 6)
    return first, sum(1 for m in moments if day_of(m).year == 2026) - first


def day_of(moment: datetime) -> date:
    return moment.astimezone(OSLO).date()


@pytest.fixture(scope="module")
def year():
    records = generated_year(2026)
    return records, build_evaluation(AGREEMENT, records, Period.year(2026), AFTER_YEAR)


def mine(records, kind):
    return [r for r in records if isinstance(r, kind) and r.municipality == GJESDAL]


def test_school_windows_met_and_missed(year):
    records, report = year
    days = {day_of(v.checked_in_at) for v in mine(records, SchoolVisit) if v.school == SCHOOL}
    start, met, missed = AGREEMENT.cadence_anchor, 0, 0
    while start <= date(2026, 12, 31):
        end = start + timedelta(days=13)
        if end.year == 2026:
            hit = any(start + timedelta(days=i) in days for i in range(14))
            met, missed = met + hit, missed + (not hit)
        start += timedelta(days=14)
    summer = [date(2026, 6, 1), date(2026, 6, 15), date(2026, 6, 29)]   # window starts
    assert all(any(s <= d <= s + timedelta(days=13) for d in days) for s in summer)
    utc_days = {v.checked_in_at.astimezone(UTC).date() for v in mine(records, SchoolVisit)
                if v.school == SCHOOL}
    # By UTC days the third summer window would look missed: the Oslo day matters.
    assert not any(summer[2] <= d <= summer[2] + timedelta(days=13) for d in utc_days)
    (school,) = report.schools
    assert (school.windows_met, school.windows_missed, school.window_open) == (met, missed, False)
    assert met + missed == 26 and missed > 0
    assert school.visits == len([d for d in days if d.year == 2026])
    assert report.other_school_visits == 1


def test_presence_weeks_against_the_target(year):
    records, report = year
    days = {day_of(r.checked_in_at) for r in mine(records, SchoolVisit)}
    days |= {day_of(r.observed_at) for r in mine(records, Observation)}
    days |= {day_of(r.arrived_at or r.called_at) for r in mine(records, CrisisCallout)}
    days |= {day_of(m.starts_at) for m in mine(records, Meeting)
             if m.cancelled_at is None and m.meeting_type != "interkommunalt_politirad"}
    all_days = (date(2025, 12, 1) + timedelta(days=i) for i in range(450))
    weeks = len({d.isocalendar()[:2] for d in all_days if d.isocalendar()[0] == 2026})
    present = {d.isocalendar()[:2] for d in days if d.isocalendar()[0] == 2026}
    p = report.presence
    assert weeks == 53
    assert (p.weeks_met, p.weeks_missed, p.week_open) == (len(present), 53 - len(present), False)
    assert p.days_present == len([d for d in days if d.year == 2026])


def test_observations_by_month_category_and_place(year):
    records, report = year
    obs = mine(records, Observation)
    o = report.observations
    months = Counter(day_of(x.observed_at).month for x in obs)
    assert [r.value for r in o.by_month.rows] == [shown(months[m]) for m in range(1, 13)]
    assert [r.key for r in o.by_month.rows] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert {r.key: r.value for r in o.by_category.rows} == {
        c: added(*halves([x.observed_at for x in obs if c in x.categories]))
        for c in ("alcohol", "drugs", "violence", "unrest", "vulnerable_youth", "other")}
    assert {r.key: r.value for r in o.by_category.rows}["alcohol"] == "5–6"   # 4 + "<3"
    # May has "<3", so the total is withheld and with it the pool, which would give it back;
    # Kvernaland (6) is not named: a half-year pooled some of it.
    assert [(r.key, r.value) for r in o.by_place.rows] == [
        ("Ålgård sentrum", 30), ("Skateparken", 22), (OTHER_PLACES, None)]
    hidden = any(months[m] in (1, 2) for m in range(1, 13))
    assert hidden and o.total is None
    assert o.by_place.total == o.by_month.total == o.total


def test_follow_up_cases_opened_closed_overdue(year):
    records, report = year
    cases = mine(records, FollowUpCase)
    end = date(2026, 12, 31)
    opened = halves([c.opened_at for c in cases])
    closed = halves([c.closed_at for c in cases if c.closed_at])
    overdue = sum(1 for c in cases if c.closed_at is None and any(
        a.due_date < end and a.done_at is None for a in c.actions))
    assert (report.cases.opened, report.cases.closed, report.cases.overdue) == \
        (added(*opened), added(*closed), shown(overdue))
    assert report.cases.opened == "7–8"    # 6 in H1, 1 in H2: the year may not say 7
    assert report.cases.overdue == "<3"   # the generated year has exactly 2


def test_callouts_by_event_type_with_response_times(year):
    records, report = year
    callouts = mine(records, CrisisCallout)
    for row in report.callouts.rows:
        these = [c for c in callouts if c.event_type == row.event_type]
        minutes = [(c.arrived_at - c.called_at).total_seconds() / 60 for c in these
                   if c.arrived_at]
        assert row.count == added(*halves([c.called_at for c in these])), row.event_type
        expected = round(statistics.median(minutes)) if len(minutes) >= 3 else None
        assert row.median_response_minutes == expected, row.event_type
    assert {r.event_type: r.count for r in report.callouts.rows}["storm"] == "<3"
    assert report.callouts.total is None        # a "<3" row hides the total


def test_meetings_held_against_target_and_agendas(year):
    _, report = year
    council, slt = report.meetings
    assert council.meeting_type == "politirad"
    assert [(b.held, b.verdict) for b in council.buckets] == [(2, "met"), (1, "missed")]
    assert (council.agendas_on_time, council.agendas_late, council.agendas_unknown) == (2, 1, 0)
    assert [(b.held, b.verdict) for b in slt.buckets] == [(2, "met"), (2, "met")]
    assert (slt.agendas_on_time, slt.agendas_late, slt.agendas_unknown) == (3, 0, 1)


def test_priority_areas_with_linked_activity(year):
    records, report = year
    first, second = report.priority_areas
    assert (first.code, first.highest, first.meetings, first.decisions) == \
        ("rus_krim_u18", True, 1, 1)
    assert (second.code, second.highest, second.meetings) == ("ungdomsmiljo", False, 1)
    # Activity records link through their `priority_area` code.
    linked = [o for o in mine(records, Observation)][:4]
    for o in linked:
        o.priority_area = "ungdomsmiljo"
    again = build_evaluation(AGREEMENT, records, Period.year(2026), AFTER_YEAR)
    assert again.priority_areas[1].observations == added(*halves([o.observed_at
                                                                  for o in linked]))
    half = build_evaluation(AGREEMENT, records, Period.half(2026, 1), AFTER_YEAR)
    assert half.priority_areas[1].observations == shown(halves([o.observed_at
                                                                for o in linked])[0])
    linked[0].priority_area = ""
    linked[1].priority_area = ""
    again = build_evaluation(AGREEMENT, records, Period.year(2026), AFTER_YEAR)
    assert again.priority_areas[1].observations == added(*halves([o.observed_at
                                                                  for o in linked[2:]]))
    assert again.priority_areas[1].observations in ("<3", "2–4")
    for o in linked:
        o.priority_area = ""


def _blank_personal(record):
    for name, s in sensitivity_of(type(record)).items():
        if s is Sensitivity.PERSONAL:
            field = next(f for f in dataclasses.fields(record) if f.name == name)
            default = field.default_factory() if field.default_factory is not \
                dataclasses.MISSING else field.default
            setattr(record, name, default)
    return record


def test_same_report_from_what_the_backend_receives_and_no_person_in_it(year):
    records, report = year
    blanked = [_blank_personal(dataclasses.replace(r)) for r in generated_year(2026)]
    assert build_evaluation(AGREEMENT, blanked, Period.year(2026), AFTER_YEAR) == report
    text = repr(report)
    for name in ("Kari", "Rektor Hansen", "Ordfører Olsen", "Ungdom 1", "Samtale"):
        assert name not in text


def test_small_counts_and_zero():
    one_day = date(2026, 3, 4)
    records = [Observation(municipality=GJESDAL, place="Skateparken",
                           observed_at=oslo(one_day, 22 + i % 2), categories={"alcohol"})
               for i in range(3)]
    records.append(Observation(municipality=GJESDAL, place="Skateparken",
                               observed_at=oslo(date(2026, 4, 1), 12)))
    callouts = [CrisisCallout(municipality=GJESDAL, event_type="flood",
                              called_at=oslo(one_day, 10), arrived_at=oslo(one_day, 10, m))
                for m in (20, 35, 50)]
    r = build_evaluation(AGREEMENT, [*records, *callouts], Period.year(2026), AFTER_YEAR)
    months = {row.key: row.value for row in r.observations.by_month.rows}
    assert (months["2026-03"], months["2026-04"], months["2026-05"]) == (3, "<3", 0)
    # April's "<3" withholds the total; naming Skateparken's 4 would give it back (4 - 3 = 1)
    assert r.observations.total is None
    assert [(row.key, row.value) for row in r.observations.by_place.rows] == [
        (OTHER_PLACES, None)]
    flood = next(row for row in r.callouts.rows if row.event_type == "flood")
    assert (flood.count, flood.median_response_minutes) == (3, 35)
    assert r.callouts.total == 3 and r.cases.opened == 0


def test_running_year_leaves_the_open_window_week_and_half_year_undecided():
    start, end = date(2026, 5, 4), date(2026, 5, 17)      # a window, Monday to Sunday
    assert (start - AGREEMENT.cadence_anchor).days % 14 == 0
    as_of = oslo(date(2026, 5, 13), 12)                    # a Wednesday inside it
    records = generated_year(2026)
    visits = [r for r in records if isinstance(r, SchoolVisit)
              and start <= day_of(r.checked_in_at) <= end]
    records = [r for r in records if r not in visits]
    r = build_evaluation(AGREEMENT, records, Period.year(2026), as_of)
    (school,) = r.schools
    assert school.window_open is True
    council = r.meetings[0]
    assert [(b.held, b.verdict) for b in council.buckets] == [(2, "met")]
    assert r.last_day == date(2026, 5, 13)


def test_leap_year_windows_and_a_visit_on_29_february():
    anchor = AGREEMENT.cadence_anchor
    start = anchor + timedelta(days=14 * ((date(2028, 2, 29) - anchor).days // 14))
    visit = SchoolVisit(municipality=GJESDAL, school=SCHOOL,
                        checked_in_at=oslo(date(2028, 2, 29), 23, 59))
    r = build_evaluation(AGREEMENT, [visit], Period.year(2028), datetime(2029, 1, 2, tzinfo=UTC))
    ends = []
    s = anchor
    while s <= date(2028, 12, 31):
        if (s + timedelta(days=13)).year == 2028:
            ends.append(s + timedelta(days=13))
        s += timedelta(days=14)
    (school,) = r.schools
    assert (school.windows_met, school.windows_missed) == (1, len(ends) - 1)
    assert start <= date(2028, 2, 29) <= start + timedelta(days=13)


def test_half_year_against_a_yearly_target_is_not_assessed():
    stjordal = default_agreement("stjordal")
    m = Meeting(municipality="5035", starts_at=oslo(date(2026, 3, 3), 12),
                agenda_sent_at=oslo(date(2026, 2, 20), 8))
    r = build_evaluation(stjordal, [m], Period.half(2026, 1), AFTER_YEAR)
    (council,) = [f for f in r.meetings if f.meeting_type == "politirad"]
    assert [(b.held, b.verdict) for b in council.buckets] == [(1, "not_assessed")]
    assert council.agendas_on_time == 1
    assert r.schools == () and r.presence.target == 0
    assert r.priority_areas[1].highest and r.priority_areas[1].code == "barn_unge"


def test_period_helpers():
    p = Period.year(2026)
    assert [b.start for b in p.buckets("half_year")] == [date(2026, 1, 1), date(2026, 7, 1)]
    assert Period.half(2026, 2).months()[0] == (2026, 7)
    assert Period(date(2025, 11, 1), date(2026, 2, 28)).buckets("year") == \
        [Period.year(2025), Period.year(2026)]
    with pytest.raises(ValueError):
        Period(date(2026, 2, 1), date(2026, 1, 1))
