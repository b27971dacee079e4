"""One contract for the Logbook, run over the in-memory and the sealed store."""

from __future__ import annotations

from datetime import date

import pytest

from fieldapp import Logbook, LogbookClosed, RecordNotFound, StaleRecord
from fieldapp.domain import (
    Consent,
    CrisisContact,
    FollowUpAction,
    FollowUpCase,
    Observation,
    SchoolVisit,
    ValidationError,
)
from fieldapp.store import KdfParams
from tests.support.clocks import WallClock
from tests.support.pins import PIN


@pytest.fixture
def clock():
    return WallClock()


@pytest.fixture(params=["memory", "sealed"])
def make_logbook(request, tmp_path, clock):
    opened = []

    def make():
        if request.param == "memory":
            lb = Logbook.in_memory(clock=clock)
        else:
            lb = Logbook.create(tmp_path / "data", PIN, kdf=KdfParams.FLOOR, clock=clock)
        opened.append(lb)
        return lb

    yield make
    for lb in opened:
        lb.close()


def test_add_get_round_trip(make_logbook, clock):
    lb = make_logbook()
    obs = Observation(place="Ålgård stasjon", youth_count=12, categories={"alcohol"}, note="n")
    rid = lb.add(obs)
    got = lb.get(rid)
    assert got == obs
    assert (got.revision, got.sync_state, got.created_at) == (1, "pending", clock.now)


def test_list_by_type_oldest_first(make_logbook, clock):
    lb = make_logbook()
    first = lb.add(Observation(place="A"))
    clock.advance(minutes=1)
    lb.add(SchoolVisit(school="Gjesdal ungdomsskole"))
    clock.advance(minutes=1)
    second = lb.add(Observation(place="B"))
    assert [r.id for r in lb.list(Observation)] == [first, second]
    assert len(lb.list()) == 3
    assert lb.count(Observation) == 2 and lb.count() == 3


def test_update_bumps_revision_and_detects_stale_copies(make_logbook, clock):
    lb = make_logbook()
    rid = lb.add(Observation(place="Torget"))
    a, b = lb.get(rid), lb.get(rid)
    a.youth_count = 5
    clock.advance(minutes=3)
    assert lb.update(a) == 2
    stored = lb.get(rid)
    assert stored.youth_count == 5 and stored.updated_at == clock.now
    b.youth_count = 7
    with pytest.raises(StaleRecord):
        lb.update(b)
    assert lb.get(rid).youth_count == 5


def test_invalid_records_are_refused_and_nothing_is_stored(make_logbook):
    lb = make_logbook()
    with pytest.raises(ValidationError) as caught:
        lb.add(Observation(place=""))
    assert caught.value.for_field("place").key == "required"
    assert lb.count() == 0
    rid = lb.add(Observation(place="Torget"))
    bad = lb.get(rid)
    bad.youth_count = -3
    with pytest.raises(ValidationError):
        lb.update(bad)
    assert lb.get(rid).revision == 1


def test_delete_case_removes_its_consents(make_logbook):
    lb = make_logbook()
    cid = lb.add(FollowUpCase(person_name="Ola", birth_date=date(2012, 5, 1), concern="c",
                              actions=[FollowUpAction(description="Samtale",
                                                      due_date=date(2026, 3, 9))]))
    lb.add(Consent(case_id=cid, given_by="Mor", recipients={"slt"}, purpose="SLT-oppfølging"))
    other = lb.add(Observation(place="Torget"))
    lb.delete(cid)
    with pytest.raises(RecordNotFound):
        lb.get(cid)
    assert [r.id for r in lb.list()] == [other]


def test_sync_state_changes_keep_the_revision(make_logbook):
    lb = make_logbook()
    rid = lb.add(Observation(place="Torget"))
    assert lb.sync_records.set_state(rid, "synced", revision=1)
    assert (lb.get(rid).sync_state, lb.get(rid).revision) == ("synced", 1)
    assert not lb.sync_records.set_state(rid, "synced", revision=2)


def test_reference_data_is_local_only(make_logbook):
    lb = make_logbook()
    rid = lb.add(CrisisContact(name="Ordfører Olsen", role="ordforer", phone="51 61 00 00"))
    assert lb.get(rid).sync_state == "local_only"


def test_single_municipality_is_filled_in(make_logbook):
    lb = make_logbook()
    lb.served.replace([{"code": "1122", "name": "Gjesdal", "schools": []}])
    rid = lb.add(Observation(place="Ålgård"))
    assert lb.get(rid).municipality == "1122"  # two served: see test_logbook_municipality.py


def test_settings_round_trip(make_logbook):
    lb = make_logbook()
    assert lb.preferences.language == ""
    lb.preferences.language = "en"
    lb.preferences.idle_minutes = 5
    lb.preferences.language = None
    assert lb.preferences.language == ""
    assert lb.preferences.idle_minutes == 5


def test_closed_logbook_refuses_work(make_logbook):
    lb = make_logbook()
    lb.close()
    with pytest.raises(LogbookClosed):
        lb.add(Observation(place="Torget"))
    lb.close()


def test_sync_states_in_one_batch(make_logbook):
    lb = make_logbook()
    a = lb.add(Observation(place="A"))
    b = lb.add(Observation(place="B"))
    c = lb.add(SchoolVisit(school="Gjesdal ungdomsskole"))
    moved = lb.get(b)
    lb.update(moved)
    changes = [(a, "sending", 1), (b, "sending", 1), (c, "synced", None)]
    assert lb.sync_records.set_states(changes) == [True, False, True]
    assert [lb.get(i).sync_state for i in (a, b, c)] == ["sending", "pending", "synced"]
    assert [lb.get(i).revision for i in (a, b, c)] == [1, 2, 1]
