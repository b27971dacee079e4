"""What Home shows, computed from a real logbook with a fixed clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fieldapp.current import Current
from fieldapp.domain import FollowUpAction, FollowUpCase, Observation, SchoolVisit
from fieldapp.domain.agreement import default_agreement
from fieldapp.domain.meetings import Meeting, MeetingAction
from views.home.compliance import agreement_status
from views.home.presenter import open_visit, other_schools, school_due_key, today_status
from views.report.presenter import report_choices
from views.strings import text


def test_an_empty_logbook(unlocked, clock):
    status = today_status(unlocked.logbook, clock.now())
    assert not status.presence_done
    assert status.schools == [] and status.actions_due == 0
    assert status.waiting_sync == 0 and status.observations_today == 0
    assert status.open_visit is None


def test_a_day_of_work(unlocked, clock):
    lb, now = unlocked.logbook, clock.now()
    lb.served.replace([{"code": "1122", "name": "Gjesdal",
                        "schools": ["Gjesdal ungdomsskole", "Ålgård skole"]}])
    visit = SchoolVisit(school="gjesdal ungdomsskole ", checked_in_at=now - timedelta(days=3))
    lb.add(visit)
    lb.add(Observation(place="Ålgård stasjon", observed_at=now))
    lb.add(Observation(place="Ålgård stasjon", observed_at=now - timedelta(days=1)))
    lb.add(FollowUpCase(person_name="Ola Nordmann", concern="Bekymring", opened_at=now,
                        actions=[FollowUpAction(description="Ring", due_date=now.date()),
                                 FollowUpAction(description="Senere",
                                                due_date=now.date() + timedelta(days=9))]))
    status = today_status(lb, now)
    assert status.presence_done
    assert status.observations_today == 1
    assert status.waiting_sync == 4
    assert status.actions_due == 1  # "Ring" today; "Senere" in nine days
    assert [(d.school, d.days_left) for d in status.schools] == [
        ("Ålgård skole", 0), ("gjesdal ungdomsskole", 11)]
    assert open_visit(lb).id == visit.id


def test_checked_out_visits_are_not_open(unlocked, clock):
    lb, now = unlocked.logbook, clock.now()
    lb.add(SchoolVisit(school="A", checked_in_at=now, checked_out_at=now))
    assert open_visit(lb) is None


def test_the_due_sentence(unlocked, clock):
    from fieldapp.domain.tracking import SchoolDue

    day = date(2026, 3, 11)
    cases = {-2: "A: besøk forfalt for 2 dager siden", -1: "A: besøk forfalt i går",
             0: "A: besøk i dag", 1: "A: neste besøk i morgen", 5: "A: neste besøk om 5 dager"}
    for days, sentence in cases.items():
        key, params = school_due_key(SchoolDue("A", None, day, days))
        count = params.pop("days", None)
        assert text(key, "nb", days=count, **params) == sentence


# -- the agreement at a glance (Gjesdal: one school every 14 days, one presence day a week) --
# Gjesdal's visit windows are counted from 2011-02-28, a Monday: 5,488 days (392 windows of
# 14) later, 2026-03-09 starts the window that holds Wednesday 2026-03-11; it ends on Sunday
# 2026-03-22.

GJESDAL = [{"code": "1122", "name": "Gjesdal",
            "schools": ["Gjesdal ungdomsskole", "Ålgård skole"]}]


def _gjesdal(lb):
    lb.served.replace(GJESDAL)
    return report_choices(lb.municipalities(), lb.agreements.all())


def _sentences(found, lang="nb"):
    return [text(line.key, lang, **line.params) for line in found.schools]


def test_without_an_agreement_home_has_no_agreement_lines(unlocked, clock):
    lb = unlocked.logbook
    lb.served.replace([{"code": "9999", "name": "Ukjent", "schools": ["A"]}])
    choices = report_choices(lb.municipalities(), lb.agreements.all())
    assert choices == []
    assert agreement_status(choices, Current.of(lb.list()), clock.now()) is None


def test_an_agreed_school_not_yet_visited_names_the_windows_last_day(unlocked, clock):
    lb, now = unlocked.logbook, clock.now()
    choices = _gjesdal(lb)
    lb.add(SchoolVisit(school="Gjesdal ungdomsskole", checked_in_at=datetime(2026, 3, 8, 10,
                                                                            tzinfo=UTC)))
    found = agreement_status(choices, Current.of(lb.list()), now)
    assert _sentences(found) == ["Gjesdal ungdomsskole: ikke besøkt – perioden slutter søn. 22.03"]
    english = agreement_status(choices, Current.of(lb.list()), now, "en")
    assert _sentences(english, "en") == [
        "Gjesdal ungdomsskole: not visited – period ends Sun 22.03"]
    assert not found.schools[0].warn  # 11 days left
    status = today_status(lb, now)
    assert [d.school for d in other_schools(status.schools, found.agreed)] == ["Ålgård skole"]


def test_the_last_three_days_of_an_unvisited_window_warn(unlocked, clock):
    lb = unlocked.logbook
    choices = _gjesdal(lb)
    warned = {}
    for day in (18, 19, 21, 22):
        found = agreement_status(choices, Current.of(lb.list()),
                                 datetime(2026, 3, day, 12, tzinfo=UTC))
        warned[day] = (found.schools[0].warn, _sentences(found)[0].split(" – ")[1])
    assert warned == {18: (False, "perioden slutter søn. 22.03"),
                      19: (True, "perioden slutter søn. 22.03"),
                      21: (True, "perioden slutter søn. 22.03"),
                      22: (True, "perioden slutter i dag")}


def test_a_visit_in_the_window_and_presence_against_the_target(unlocked, clock):
    lb, now = unlocked.logbook, clock.now()
    choices = _gjesdal(lb)
    found = agreement_status(choices, Current.of(lb.list()), now)
    presence = found.presence[0]
    assert text(presence.key, "nb", **presence.params) == "Til stede denne uken: 0 av 1 dag"
    assert presence.warn
    lb.add(SchoolVisit(school=" gjesdal ungdomsskole", checked_in_at=now - timedelta(days=1),
                       checked_out_at=now))
    found = agreement_status(choices, Current.of(lb.list()), now)
    assert _sentences(found) == ["Gjesdal ungdomsskole: besøkt i perioden"]
    assert found.schools[0].done and not found.schools[0].warn
    presence = found.presence[0]
    assert text(presence.key, "nb", **presence.params) == "Til stede denne uken: 1 av 1 dag"
    assert presence.done and not presence.warn


def test_overdue_actions_are_counted_without_names_or_texts(unlocked, clock):
    lb, now = unlocked.logbook, clock.now()
    choices = _gjesdal(lb)
    found = agreement_status(choices, Current.of(lb.list()), now)
    assert text(found.overdue.key, "nb", **found.overdue.params) == \
        "Forfalte tiltak (møter og U18): 0"
    assert not found.overdue.warn
    lb.add(FollowUpCase(person_name="Ola Nordmann", concern="Bekymring", opened_at=now,
                        actions=[FollowUpAction(description="Ring mor",
                                                due_date=date(2026, 3, 2))]))
    lb.add(Meeting(meeting_type="politirad", starts_at=datetime(2026, 2, 2, 18, tzinfo=UTC),
                   actions=[MeetingAction(description="Kalle inn SLT", owner_role="ordforer",
                                          due_date=date(2026, 3, 1)),
                            MeetingAction(description="Senere", due_date=date(2026, 4, 1))]))
    found = agreement_status(choices, Current.of(lb.list()), now)
    sentence = text(found.overdue.key, "nb", **found.overdue.params)
    assert sentence == "Forfalte tiltak (møter og U18): 2"
    assert found.overdue.warn
    assert set(found.overdue.params) == {"count"}


def test_several_presence_targets_name_their_municipality(unlocked, clock):
    lb, now = unlocked.logbook, clock.now()
    stjordal = default_agreement("stjordal")
    stjordal.presence_days_per_week = 2
    lb.agreements.save(stjordal, "backend", now)
    lb.served.replace([*GJESDAL, {"code": "5035", "name": "Stjørdal"}])
    choices = report_choices(lb.municipalities(), lb.agreements.all())
    lb.add(Observation(municipality="5035", place="Torget", observed_at=now))
    found = agreement_status(choices, Current.of(lb.list()), now)
    assert [text(p.key, "nb", **p.params) for p in found.presence] == [
        "Til stede i Gjesdal denne uken: 0 av 1 dag",
        "Til stede i Stjørdal denne uken: 1 av 2 dager"]
