"""Home reads ``Logbook.current`` (the records that still matter today) instead of the whole
logbook: whatever the logbook holds, and however it was changed, Home shows exactly what it
would show from every record."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldapp import Logbook
from fieldapp.current import Current
from fieldapp.domain import (
    Consent,
    CrisisCallout,
    FollowUpAction,
    FollowUpCase,
    Observation,
    SchoolVisit,
)
from fieldapp.domain.meetings import Meeting, MeetingAction
from fieldapp.domain.schedule import actions_due
from views.home.compliance import agreement_status
from views.home.presenter import home_records, today_status
from views.kit.municipality import homeless_count
from views.report.presenter import report_choices

NOW = datetime(2026, 11, 26, 13, 30, tzinfo=UTC)  # a Thursday
GJESDAL = {"code": "1122", "name": "Gjesdal",
           "schools": ["Gjesdal ungdomsskole", "Ålgård skole"]}
SCHOOLS = ["Gjesdal ungdomsskole", "gjesdal ungdomsskole ", "Ålgård skole", "Dirdal skule"]

offsets = st.integers(min_value=-70, max_value=3)
hours = st.integers(min_value=0, max_value=23)


def _at(days: int, hour: int) -> datetime:
    return (NOW + timedelta(days=days)).replace(hour=hour, minute=7)


def _due(days: int | None) -> date | None:
    return None if days is None else NOW.date() + timedelta(days=days)


visit = st.builds(lambda school, d, h, out: SchoolVisit(
    school=school, checked_in_at=_at(d, h),
    checked_out_at=_at(d, h) + timedelta(hours=1) if out else None),
    st.sampled_from(SCHOOLS), offsets, hours, st.booleans())
observation = st.builds(lambda d, h: Observation(place="Ålgård stasjon", youth_count=3,
                                                 observed_at=_at(d, h)), offsets, hours)
callout = st.builds(lambda d, h, arrived: CrisisCallout(
    called_at=_at(d, h), arrived_at=_at(d, h) + timedelta(minutes=20) if arrived else None),
    offsets, hours, st.booleans())
actions = st.lists(st.builds(lambda due, done: FollowUpAction(
    description="Ring", service="skole", due_date=_due(due),
    done_at=NOW - timedelta(days=1) if done else None),
    st.one_of(st.none(), st.integers(-40, 20)), st.booleans()), max_size=3)
case = st.builds(lambda acts, closed, d: FollowUpCase(
    person_name="Ola Nordmann", concern="Bekymring", opened_at=_at(d, 9), actions=acts,
    status="closed" if closed else "open", closed_at=_at(d, 10) if closed else None),
    actions, st.booleans(), offsets)
meeting = st.builds(lambda kind, d, cancelled, due: Meeting(
    meeting_type=kind, starts_at=_at(d, 18), place="Rådhuset",
    cancelled_at=NOW - timedelta(days=80) if cancelled else None,
    actions=[MeetingAction(description="Følge opp", owner_role="slt_koordinator",
                           due_date=_due(due))]),
    st.sampled_from(["politirad", "slt_arbeidsgruppe", "interkommunalt_politirad"]),
    st.integers(-70, 30), st.booleans(), st.integers(-30, 30))
record = st.one_of(visit, observation, callout, case, meeting)

# each step: add a record; check out / reschedule one; close a case; delete one; a sync
# moves one to another sync state (nothing else about it changes)
step = st.one_of(
    st.tuples(st.just("add"), record),
    st.tuples(st.just("touch"), st.integers(0, 10_000)),
    st.tuples(st.just("delete"), st.integers(0, 10_000)),
    st.tuples(st.just("sync"), st.integers(0, 10_000)),
)
SYNC_STATES = ["synced", "pending", "quarantined"]


def _touch(lb: Logbook, rid: str) -> None:
    found = lb.get(rid)
    if isinstance(found, SchoolVisit):
        found.checked_out_at = None if found.checked_out_at else found.checked_in_at
        found.checked_in_at -= timedelta(days=20)
    elif isinstance(found, FollowUpCase):
        found.status = "closed" if found.status == "open" else "open"
        closing = found.status == "closed"
        found.closed_at = max(NOW, found.opened_at) if closing else None
    elif isinstance(found, Observation):
        found.observed_at -= timedelta(days=9)
    else:
        return
    lb.update(found)


def _home(lb: Logbook, current: Current) -> tuple:
    choices = report_choices(lb.municipalities(), lb.agreements.all())
    return (today_status(lb, NOW, current),
            agreement_status(choices, current, NOW, "nb", served=1),
            homeless_count(lb, current.records))


def _due_by_domain_rule(lb: Logbook, by: date) -> int:
    return len(actions_due(lb.list(FollowUpCase), by))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=st.lists(record, max_size=4), steps=st.lists(step, min_size=1, max_size=30))
def test_home_from_the_current_records_is_home_from_every_record(before, steps):
    ticks = iter(range(10**9))  # records are created one after another, never at once
    with Logbook.in_memory(clock=lambda: NOW + timedelta(milliseconds=next(ticks))) as lb:
        homeless_ids = [lb.add(r) for r in before]  # no municipality served yet
        lb.served.replace([GJESDAL])
        for case_id in homeless_ids[:1]:
            if isinstance(lb.get(case_id), FollowUpCase):  # a consent follows its case
                lb.add(Consent(case_id=case_id, given_by="Mor", purpose="Oppfølging",
                               recipients={"slt"}, given_at=NOW))
        ids = list(homeless_ids)
        for action, value in steps:
            if action == "add":
                ids.append(lb.add(replace(value)))
            elif ids and action == "touch":
                _touch(lb, ids[value % len(ids)])
            elif ids and action == "sync":
                lb.sync_records.set_state(ids[value % len(ids)], SYNC_STATES[value % 3])
            elif ids:
                lb.delete(ids.pop(value % len(ids)))
            choices = report_choices(lb.municipalities(), lb.agreements.all())
            current = home_records(lb, NOW, (c.agreement for c in choices))
            ours, theirs = _home(lb, current), _home(lb, Current.of(lb.list()))
            for mine, every in zip(ours, theirs, strict=True):
                assert mine == every
            assert {r.id for r in current.records} <= {r.id for r in lb.list()}
            stored = {r.id: r.sync_state for r in lb.list()}  # the records as they are now
            assert all(r.sync_state == stored[r.id] for r in current.records)
            for by in (NOW.date() - timedelta(days=8), NOW.date(), NOW.date() + timedelta(5)):
                assert current.case_actions_due(by) == _due_by_domain_rule(lb, by)


def test_a_year_of_old_records_is_left_out():
    with Logbook.in_memory(clock=lambda: NOW) as lb:
        lb.served.replace([GJESDAL])
        old = [lb.add(Observation(place="Ålgård stasjon", observed_at=_at(-d, 20)))
               for d in range(30, 60)]
        recent = lb.add(Observation(place="Ålgård stasjon", observed_at=_at(-1, 20)))
        first = lb.add(SchoolVisit(school="Ålgård skole", checked_in_at=_at(-50, 9),
                                   checked_out_at=_at(-50, 10)))
        last = lb.add(SchoolVisit(school="Ålgård skole", checked_in_at=_at(-40, 9),
                                  checked_out_at=_at(-40, 10)))
        closed = lb.add(FollowUpCase(person_name="Kari", concern="Bekymring", status="closed",
                                     closed_at=_at(-40, 9), opened_at=_at(-45, 9)))
        current = {r.id for r in home_records(lb, NOW, []).records}
        assert recent in current and last in current
        assert not current & {*old, first, closed}
        lb.delete(last)  # the school's latest visit is now the earlier one
        assert first in {r.id for r in home_records(lb, NOW, []).records}


def test_the_current_records_are_the_decoded_ones_and_list_still_copies():
    with Logbook.in_memory(clock=lambda: NOW) as lb:
        rid = lb.add(Observation(place="Ålgård stasjon", observed_at=NOW))
        shared = lb.current(NOW.date(), 7).records
        assert shared[0] is lb.current(NOW.date(), 7).records[0]
        listed = lb.list()[0]
        listed.place = "Et annet sted"
        assert lb.current(NOW.date(), 7).records[0].place == "Ålgård stasjon"
        assert lb.get(rid).place == "Ålgård stasjon"
