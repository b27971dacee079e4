"""What Home shows, computed from a real logbook with a fixed clock."""

from __future__ import annotations

from datetime import date, timedelta

from fieldapp.domain import FollowUpAction, FollowUpCase, Observation, SchoolVisit
from views.strings import text
from views.today import open_visit, school_due_key, today_status


def test_an_empty_logbook(unlocked, clock):
    status = today_status(unlocked.logbook, clock.now())
    assert not status.presence_done
    assert status.schools == [] and status.actions_due == []
    assert status.waiting_sync == 0 and status.observations_today == 0
    assert status.open_visit is None


def test_a_day_of_work(unlocked, clock):
    lb, now = unlocked.logbook, clock.now()
    lb.set_setting("municipalities", [{"code": "1122", "name": "Gjesdal",
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
    assert [a.action.description for a in status.actions_due] == ["Ring"]
    assert [(d.school, d.days_left) for d in status.schools] == [
        ("Ålgård skole", 0), ("gjesdal ungdomsskole", 11)]
    assert open_visit(lb).id == visit.id


def test_checked_out_visits_are_not_open(unlocked, clock):
    lb, now = unlocked.logbook, clock.now()
    lb.add(SchoolVisit(school="A", checked_in_at=now, checked_out_at=now))
    assert open_visit(lb) is None


def test_the_due_sentence(unlocked, clock):
    from fieldapp.domain.schedule import SchoolDue

    day = date(2026, 3, 11)
    cases = {-2: "A: besøk forfalt for 2 dager siden", -1: "A: besøk forfalt i går",
             0: "A: besøk i dag", 1: "A: neste besøk i morgen", 5: "A: neste besøk om 5 dager"}
    for days, sentence in cases.items():
        key, params = school_due_key(SchoolDue("A", None, day, days))
        count = params.pop("days", None)
        assert text(key, "nb", days=count, **params) == sentence
