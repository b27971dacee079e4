"""The agreements' date rules: 14-day school cadence, weekly presence, actions due, consent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fieldapp.domain import (
    CrisisCallout,
    CrisisContact,
    FollowUpAction,
    FollowUpCase,
    Observation,
    SchoolVisit,
)
from fieldapp.domain.days import week_start
from fieldapp.domain.schedule import actions_due, cases_by_urgency
from fieldapp.domain.tracking import (
    SCHOOL_VISIT_CADENCE_DAYS,
    presence_this_week,
    school_visits_due,
)

WED = date(2026, 3, 11)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def visit(school: str, day: date) -> SchoolVisit:
    return SchoolVisit(school=school, checked_in_at=at(day))


def test_next_visit_is_due_fourteen_days_after_the_last_one():
    visits = [visit("Gjesdal ungdomsskole", WED - timedelta(days=20)),
              visit("Gjesdal ungdomsskole", WED - timedelta(days=4))]
    [due] = school_visits_due(visits, [], WED)
    assert SCHOOL_VISIT_CADENCE_DAYS == 14
    assert (due.last_visit, due.due_on, due.days_left) == (
        WED - timedelta(days=4), WED + timedelta(days=10), 10)
    assert not due.overdue


def test_overdue_and_never_visited_schools_come_first():
    visits = [visit("A skole", WED - timedelta(days=16)), visit("B skole", WED)]
    dues = school_visits_due(visits, ["B skole", "C skole"], WED)
    assert [(d.school, d.days_left) for d in dues] == [
        ("A skole", -2), ("C skole", 0), ("B skole", 14)]
    assert dues[0].overdue and dues[1].last_visit is None


def test_school_names_match_without_case_or_outer_spaces():
    dues = school_visits_due([visit(" gjesdal UNGDOMSSKOLE", WED)], ["Gjesdal ungdomsskole"],
                             WED)
    assert len(dues) == 1 and dues[0].days_left == 14


def test_a_visit_without_a_school_is_ignored():
    assert school_visits_due([visit("  ", WED)], [], WED) == []


def test_weeks_run_monday_to_sunday():
    assert week_start(WED) == date(2026, 3, 9)
    assert week_start(date(2026, 3, 9)) == date(2026, 3, 9)
    assert week_start(date(2026, 3, 15)) == date(2026, 3, 9)


def test_presence_this_week_counts_visits_observations_and_callouts_only():
    monday, last_sunday = date(2026, 3, 9), date(2026, 3, 8)
    assert not presence_this_week([], at(WED))
    assert not presence_this_week([visit("A", last_sunday)], at(WED))
    assert presence_this_week([visit("A", monday)], at(WED))
    assert presence_this_week([Observation(place="x", observed_at=at(monday))], at(WED))
    assert presence_this_week([CrisisCallout(called_at=at(last_sunday),
                                             arrived_at=at(monday))], at(WED))
    assert not presence_this_week([CrisisContact(name="x", role="ordforer")], at(WED))


def case(*actions: FollowUpAction, status: str = "open", opened: date = WED) -> FollowUpCase:
    return FollowUpCase(person_name="x", concern="y", actions=list(actions), status=status,
                        opened_at=at(opened))


def test_actions_due_are_open_actions_of_open_cases_up_to_today():
    done = FollowUpAction(description="done", due_date=WED, done_at=at(WED))
    late = FollowUpAction(description="late", due_date=WED - timedelta(days=3))
    today = FollowUpAction(description="today", due_date=WED)
    later = FollowUpAction(description="later", due_date=WED + timedelta(days=2))
    undated = FollowUpAction(description="undated")
    closed = FollowUpAction(description="closed case", due_date=WED)
    cases = [case(done, today, later, undated), case(late), case(closed, status="closed")]
    assert [d.action.description for d in actions_due(cases, WED)] == ["late", "today"]
    assert [d.days_left for d in actions_due(cases, WED)] == [-3, 0]
    assert [d.action.description for d in actions_due(cases, WED, within_days=2)] == [
        "late", "today", "later"]


def test_cases_by_urgency_due_first_then_undated_newest_first_then_closed():
    soon = case(FollowUpAction(description="a", due_date=WED + timedelta(days=1)))
    sooner = case(FollowUpAction(description="b", due_date=WED - timedelta(days=1)))
    undated_old = case(opened=WED - timedelta(days=30))
    undated_new = case(opened=WED - timedelta(days=1))
    closed = case(FollowUpAction(description="c", due_date=WED - timedelta(days=9)),
                  status="closed")
    ordered = cases_by_urgency([closed, undated_old, soon, undated_new, sooner], WED)
    assert ordered == [sooner, soon, undated_new, undated_old, closed]


def test_a_visit_counts_on_its_oslo_day_whatever_the_device_zone():
    late = SchoolVisit(school="A", checked_in_at=datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
    [due] = school_visits_due([late], [], WED)   # 00:30 on Wednesday in Oslo
    assert due.last_visit == WED


def test_a_held_council_meeting_is_presence_on_home_as_in_the_agreement():
    from fieldapp.domain.meetings import Meeting

    held = Meeting(meeting_type="politirad", starts_at=at(date(2026, 3, 9)))
    assert presence_this_week([held], at(WED))
    assert not presence_this_week([held], at(date(2026, 3, 9), 8))   # not yet held
    held.cancelled_at = at(date(2026, 3, 8))
    assert not presence_this_week([held], at(WED))
