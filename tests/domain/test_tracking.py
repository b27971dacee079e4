"""Tracking against the agreement: Oslo days, fixed visit windows, ISO weeks, agenda deadlines,
overdue actions. Expected values are worked out here by other means (stepping day by day,
``date.isocalendar``, zoneinfo), not with the module's own helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from fieldapp.domain import days
from fieldapp.domain.agenda import DEFAULT_LEAD_DAYS, lead_days_for
from fieldapp.domain.agreement import default_agreement
from fieldapp.domain.days import oslo_day
from fieldapp.domain.meetings import Meeting, MeetingAction
from fieldapp.domain.records import (
    CrisisCallout,
    FollowUpAction,
    FollowUpCase,
    Observation,
    SchoolVisit,
)
from fieldapp.domain.tracking import (
    compliance,
    iso_week_mondays,
    next_meeting,
    overdue_actions,
    school_windows,
    window_of,
    windows_ending_between,
)

OSLO = ZoneInfo("Europe/Oslo")
GJESDAL = default_agreement("gjesdal")
SCHOOL = "Gjesdal ungdomsskole"


def oslo(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), OSLO).astimezone(UTC)


def walked_windows(anchor: date, until: date, every: int = 14) -> list[tuple[date, date]]:
    """Windows by stepping from the anchor, one window at a time."""
    result, start = [], anchor
    while start <= until:
        result.append((start, start + timedelta(days=every - 1)))
        start += timedelta(days=every)
    return result


def visit(day: date, hour: int = 10, minute: int = 0, **kw) -> SchoolVisit:
    return SchoolVisit(municipality="1122", school=kw.pop("school", SCHOOL),
                       checked_in_at=oslo(day, hour, minute), **kw)


def test_oslo_day_is_the_local_day_whatever_the_utc_day():
    sunday = date(2026, 3, 22)   # winter time: UTC+1
    assert oslo_day(oslo(sunday, 23, 59)) == sunday
    assert oslo(sunday + timedelta(days=1), 0, 30).date() == sunday   # UTC still Sunday
    assert oslo_day(oslo(sunday + timedelta(days=1), 0, 30)) == sunday + timedelta(days=1)
    summer = date(2026, 7, 5)    # summer time: UTC+2
    assert oslo_day(datetime(2026, 7, 5, 21, 59, tzinfo=UTC)) == summer
    assert oslo_day(datetime(2026, 7, 5, 22, 0, tzinfo=UTC)) == summer + timedelta(days=1)
    assert oslo_day(summer) == summer


def test_fallback_rule_matches_the_tz_database_around_every_change(monkeypatch):
    monkeypatch.setattr(days, "OSLO", None)
    moments = []
    for year in range(2020, 2034):
        for month in (3, 10):
            last = max(date(year, month, d) for d in range(25, 32)
                       if date(year, month, d).weekday() == 6)
            base = datetime.combine(last, time(), UTC) - timedelta(hours=6)
            moments += [base + timedelta(minutes=30 * i) for i in range(24)]
    moments += [datetime(2028, 2, 29, 23, 30, tzinfo=UTC),
                datetime(2026, 12, 31, 23, 0, tzinfo=UTC)]
    for moment in moments:
        assert oslo_day(moment) == moment.astimezone(OSLO).date(), moment


def test_windows_are_fixed_fortnights_from_the_anchor():
    anchor = GJESDAL.cadence_anchor
    walked = walked_windows(anchor, date(2029, 1, 1))
    for start, end in walked[-200:]:
        assert start.weekday() == 0 and end.weekday() == 6
        for day in (start, start + timedelta(days=6), end):
            assert window_of(day, anchor, 14) == (start, end)
    in_2026 = [w for w in walked if date(2026, 1, 1) <= w[1] <= date(2026, 12, 31)]
    assert windows_ending_between(anchor, 14, date(2026, 1, 1), date(2026, 12, 31)) == in_2026
    first, last = in_2026[0][1], in_2026[-1][1]     # the bounds are inclusive
    assert windows_ending_between(anchor, 14, first, last) == in_2026


def test_leap_year_window_holds_29_february_and_is_14_days_long():
    walked = walked_windows(GJESDAL.cadence_anchor, date(2028, 12, 31))
    (start, end), = [w for w in walked if w[0] <= date(2028, 2, 29) <= w[1]]
    assert window_of(date(2028, 2, 29), GJESDAL.cadence_anchor, 14) == (start, end)
    assert (end - start).days == 13


def test_a_visit_at_23_59_on_the_last_day_counts_in_that_window():
    start, end = window_of(date(2026, 3, 18), GJESDAL.cadence_anchor, 14)
    late = visit(end, 23, 59)
    (window,) = school_windows(GJESDAL, [late], end)
    assert (window.start, window.end, window.visits, window.met) == (start, end, 1, True)
    assert window.days_left(end) == 0
    (next_window,) = school_windows(GJESDAL, [late, visit(end + timedelta(days=1), 0, 0)],
                                    end + timedelta(days=1))
    assert next_window.start == end + timedelta(days=1) and next_window.visits == 1


def test_only_this_municipality_and_this_school_count():
    day = date(2026, 5, 6)
    records = [visit(day, school=" gjesdal UNGDOMSSKOLE "), visit(day, school="Oltedal skule"),
               SchoolVisit(municipality="5035", school=SCHOOL, checked_in_at=oslo(day, 10))]
    (window,) = school_windows(GJESDAL, records, day)
    assert window.visits == 1


def test_iso_weeks_of_a_year_include_week_53_across_new_year():
    expected_2026 = sorted({d - timedelta(days=d.weekday())
                            for d in (date(2025, 12, 1) + timedelta(days=i) for i in range(500))
                            if d.isocalendar()[0] == 2026})
    mondays = iso_week_mondays(date(2026, 1, 1), date(2026, 12, 31))
    assert mondays == expected_2026 and len(mondays) == 53
    assert mondays[0] == date(2025, 12, 29) and mondays[-1] == date(2026, 12, 28)
    assert iso_week_mondays(date(2027, 1, 1), date(2027, 12, 31))[0] == date(2027, 1, 4)


def test_presence_in_week_53_counts_for_2026():
    saturday = date(2027, 1, 2)        # ISO week 53 of 2026
    obs = Observation(municipality="1122", place="Ålgård", observed_at=oslo(saturday, 22))
    status = compliance(GJESDAL, [obs], oslo(date(2026, 12, 30), 12))
    week = status.presence
    assert (week.iso_year, week.iso_week, week.met) == (2026, 53, True)
    assert week.days == frozenset({saturday})
    empty = compliance(GJESDAL, [obs], oslo(date(2027, 1, 4), 12)).presence
    assert (empty.iso_year, empty.iso_week, empty.met) == (2027, 1, False)


def test_presence_counts_held_meetings_but_not_planned_or_cancelled_ones():
    monday = date(2026, 9, 7)
    now = oslo(monday + timedelta(days=2), 12)
    held = Meeting(municipality="1122", meeting_type="slt_arbeidsgruppe", starts_at=oslo(monday, 9))
    planned = Meeting(municipality="1122", starts_at=oslo(monday + timedelta(days=3), 9))
    cancelled = Meeting(municipality="1122", starts_at=oslo(monday, 9), cancelled_at=now)
    callout = CrisisCallout(municipality="1122", called_at=oslo(monday, 23, 50),
                            arrived_at=oslo(monday + timedelta(days=1), 0, 20))
    days = compliance(GJESDAL, [held, planned, cancelled, callout], now).presence.days
    assert days == {monday, monday + timedelta(days=1)}   # a callout counts on arrival


def meeting(starts: datetime, sent: datetime | None = None, **kw) -> Meeting:
    return Meeting(municipality="1122", starts_at=starts, agenda_sent_at=sent, **kw)


@pytest.mark.parametrize(("today", "sent", "state", "days"), [
    (date(2026, 5, 1), None, "not_yet", 4),
    (date(2026, 5, 2), None, "due", 3),
    (date(2026, 5, 5), None, "due", 0),
    (date(2026, 5, 6), None, "overdue", -1),
    (date(2026, 5, 6), (date(2026, 5, 5), 23, 59), "sent", -1),   # deadline day, late evening
    (date(2026, 5, 6), (date(2026, 5, 6), 0, 30), "sent_late", -1),  # UTC: still 5 May
])
def test_agenda_deadline_is_the_lead_time_before_the_meeting_day(today, sent, state, days):
    starts = oslo(date(2026, 5, 12), 13)
    sent_at = oslo(*sent) if sent else None
    m = meeting(starts, sent_at)
    status = next_meeting(GJESDAL, [m], oslo(today, 8))
    assert (status.deadline, status.state, status.days_to_deadline) == \
        (date(2026, 5, 5), state, days)


def test_lead_days_come_from_the_agreement():
    edited = default_agreement("1122")
    edited.agenda_lead_days = 14
    assert lead_days_for("1122", {"1122": edited}) == 14
    assert lead_days_for("5035", {}) == 7
    assert lead_days_for("", {}) == DEFAULT_LEAD_DAYS


def test_next_council_meeting_skips_cancelled_past_and_slt_meetings():
    now = oslo(date(2026, 5, 1), 12)
    records = [meeting(oslo(date(2026, 4, 30), 12)),
               meeting(oslo(date(2026, 5, 10), 12), cancelled_at=now),
               meeting(oslo(date(2026, 5, 11), 12), meeting_type="slt_arbeidsgruppe"),
               meeting(oslo(date(2026, 6, 2), 12), meeting_type="interkommunalt_politirad"),
               meeting(oslo(date(2026, 6, 9), 12))]
    assert next_meeting(GJESDAL, records, now).starts_at == oslo(date(2026, 6, 2), 12)
    assert next_meeting(GJESDAL, records[:3], now) is None


def test_overdue_actions_from_meetings_and_u18_cases():
    today = date(2026, 6, 10)
    m = meeting(oslo(date(2026, 5, 1), 12), actions=[
        MeetingAction(description="a", owner_role="slt_koordinator", due_date=date(2026, 6, 9)),
        MeetingAction(description="b", due_date=date(2026, 6, 10)),
        MeetingAction(description="c", due_date=date(2026, 6, 1), done_at=oslo(today, 9))])
    case = FollowUpCase(municipality="1122", person_name="X", concern="y", actions=[
        FollowUpAction(description="d", service="barnevern", due_date=date(2026, 6, 2))])
    elsewhere = FollowUpCase(municipality="5035", person_name="X", concern="y", actions=[
        FollowUpAction(description="e", due_date=date(2026, 6, 2))])
    found = overdue_actions([m, case, elsewhere], GJESDAL, today)
    assert [(o.source, o.owner, o.due_date, o.days_overdue) for o in found] == [
        ("follow_up_case", "barnevern", date(2026, 6, 2), 8),
        ("meeting", "slt_koordinator", date(2026, 6, 9), 1)]
    assert not hasattr(found[0], "description")   # texts stay in the records


def test_compliance_at_a_glance():
    now = oslo(date(2026, 5, 6), 15)
    status = compliance(GJESDAL, [visit(date(2026, 5, 4)), meeting(oslo(date(2026, 5, 12), 13))],
                        now)
    assert status.today == date(2026, 5, 6)
    assert [w.met for w in status.schools] == [True]
    assert status.presence.met is True
    assert status.next_meeting.state == "overdue"
    assert status.overdue == []
