"""``Logbook.list`` decodes each stored document once and hands out copies: after any mix of
writes it gives exactly what decoding every stored document afresh gives, a caller changing
what it was given changes nothing for the next caller, and nothing decoded outlives close."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from fieldapp import Logbook
from fieldapp.domain import (
    Consent,
    FollowUpAction,
    FollowUpCase,
    Observation,
    SchoolVisit,
    SyncState,
    from_dict,
    to_dict,
)
from fieldapp.domain.copies import copy_record
from fieldapp.domain.kinds import RECORD_TYPES_BY_KIND
from fieldapp.domain.meetings import AgendaItem, Meeting
from fieldapp.store import KdfParams
from tests.support.pins import PIN


def _afresh(lb: Logbook) -> list[dict]:
    """Every stored record decoded now, without the cache, as dicts (oldest first)."""
    live = lb._require_open().log.read()
    records = [from_dict(dict(doc)) for kind in RECORD_TYPES_BY_KIND
               for doc in (live.get(kind) or {}).values()]
    return [to_dict(r) for r in sorted(records, key=lambda r: r.created_at)]


def _listed(lb: Logbook) -> list[dict]:
    return [to_dict(r) for r in lb.list()]


@pytest.mark.parametrize("store", ["memory", "sealed"])
def test_after_any_mix_of_writes_list_is_what_decoding_afresh_gives(store, tmp_path):
    rng = random.Random(7)
    lb = Logbook.in_memory() if store == "memory" else Logbook.create(
        tmp_path / "data", PIN, kdf=KdfParams.FLOOR)
    try:
        ids: list[str] = []
        for step in range(300):
            move = rng.random()
            if move < 0.45 or not ids:
                ids.append(lb.add(Observation(place=f"Sted {step}", youth_count=step % 9,
                                              categories={"alcohol"})))
            elif move < 0.65:
                record = lb.get(rng.choice(ids))
                if isinstance(record, Observation):
                    record.youth_count = (record.youth_count or 0) + 1
                    record.categories.add("unrest")
                    lb.update(record)
            elif move < 0.8:
                rid = rng.choice(ids)
                lb.sync_records.set_state(rid, rng.choice(list(SyncState)))
            elif move < 0.9:
                lb.delete(ids.pop(rng.randrange(len(ids))))
            else:
                cid = lb.add(FollowUpCase(person_name="Ola Nordmann", concern="Skulker",
                                          birth_date=date(2011, 3, 4), services={"skole"}))
                lb.add(Consent(case_id=cid, given_by="Kari", recipients={"slt"},
                               purpose="SLT", given_at=datetime.now(UTC) - timedelta(days=1)))
                ids.append(cid)
            if step % 25 == 0:
                assert _listed(lb) == _afresh(lb), step
        assert _listed(lb) == _afresh(lb)
        assert [to_dict(r) for r in lb.list(Observation)] == [
            d for d in _afresh(lb) if d["kind"] == "observation"]
    finally:
        lb.close()


def test_a_caller_changing_its_records_changes_nothing_for_the_next():
    with Logbook.in_memory() as lb:
        cid = lb.add(FollowUpCase(person_name="Ola Nordmann", concern="Skulker",
                                  actions=[FollowUpAction(description="Ringe mor")],
                                  services={"skole"}))
        lb.add(Meeting(agenda=[AgendaItem(public_title="Rus blant unge")]))
        [case] = lb.list(FollowUpCase)
        case.person_name = "Noen andre"
        case.services.add("nav")
        case.actions[0].description = "endret"
        case.actions.append(FollowUpAction(description="ny"))
        [meeting] = lb.list(Meeting)
        meeting.agenda[0].public_title = "endret"
        [again] = lb.list(FollowUpCase)
        assert (again.person_name, again.services) == ("Ola Nordmann", {"skole"})
        assert [a.description for a in again.actions] == ["Ringe mor"]
        assert lb.list(Meeting)[0].agenda[0].public_title == "Rus blant unge"
        assert lb.get(cid).person_name == "Ola Nordmann"


def test_a_copy_shares_nothing_mutable():
    visit = SchoolVisit(school="Gjesdal ungdomsskole", contacts_met=["Rektor"], topics=["x"])
    copy = copy_record(visit)
    assert copy == visit and copy is not visit
    assert copy.contacts_met is not visit.contacts_met and copy.topics is not visit.topics


def test_nothing_decoded_outlives_close():
    lb = Logbook.in_memory()
    lb.add(Observation(place="Torget"))
    lb.list()
    assert lb._decoded._cache
    lb.close()
    assert lb._decoded._cache == {}


@pytest.mark.parametrize("cls", list(RECORD_TYPES_BY_KIND.values()), ids=lambda c: c.kind)
def test_every_record_type_is_copied_without_shared_containers(cls):
    record = cls()
    copy = copy_record(record)
    assert copy == record and type(copy) is cls
    for name, value in vars(record).items():
        if isinstance(value, list | set | dict):
            assert getattr(copy, name) is not value, name


def test_where_and_municipality_choose_before_copying_and_match_a_fresh_decode():
    with Logbook.in_memory() as lb:
        for i in range(30):
            lb.add(Observation(place=f"Sted {i}", youth_count=i,
                               municipality="1122" if i % 2 else "1103"))
        chosen = lb.list(municipality="1122", where=lambda r: r.youth_count > 10)
        assert [to_dict(r) for r in chosen] == [
            d for d in _afresh(lb) if d["municipality"] == "1122" and d["youth_count"] > 10]
        chosen[0].place = "endret"
        assert lb.list(where=lambda r: r.id == chosen[0].id)[0].place != "endret"


def test_an_unchanged_store_hands_out_the_same_records_without_looking_again():
    with Logbook.in_memory() as lb:
        rid = lb.add(Observation(place="Torget"))
        lb.list()
        every, kept = lb._decoded._every, lb._decoded._every[0]
        assert lb.list() and lb._decoded._every is every  # nothing written: kept
        assert lb._decoded._every[0] is kept
        lb.sync_records.set_state(rid, SyncState.SYNCED)  # a write past Logbook.update
        assert lb.list()[0].sync_state == SyncState.SYNCED.value
        assert lb._decoded._every[0] is not kept


@pytest.mark.parametrize("store", ["memory", "sealed"])
def test_waiting_ids_follow_every_write_to_a_record_table_and_no_other(store, tmp_path):
    lb = Logbook.in_memory() if store == "memory" else Logbook.create(
        tmp_path / "data", PIN, kdf=KdfParams.FLOOR)
    waiting = (SyncState.PENDING.value, SyncState.FAILED.value)
    try:
        a = lb.add(Observation(place="Torget"))
        b = lb.add(SchoolVisit(school="Gjesdal ungdomsskole"))
        assert sorted(lb.sync_records.waiting(waiting)) == sorted([a, b])
        before = lb._require_open().log.changes.of(RECORD_TYPES_BY_KIND)
        lb.settings.write({"ui_language": "en"})  # another table: the answer is kept
        assert lb._require_open().log.changes.of(RECORD_TYPES_BY_KIND) == before
        lb.sync_records.set_state(a, SyncState.SYNCED)
        assert lb.sync_records.waiting(waiting) == [b]
        lb.sync_records.set_state(a, SyncState.FAILED)
        lb.delete(b)
        assert lb.sync_records.waiting(waiting) == [a]
        assert lb.sync_records.waiting([SyncState.SYNCED.value]) == []
    finally:
        lb.close()


@pytest.mark.parametrize("store", ["memory", "sealed"])
def test_a_new_sync_state_alone_is_not_decoded_again(store, tmp_path, monkeypatch):
    import fieldapp.decoded as decoded

    lb = Logbook.in_memory() if store == "memory" else Logbook.create(
        tmp_path / "data", PIN, kdf=KdfParams.FLOOR)
    try:
        ids = [lb.add(Observation(place=f"Sted {i}", categories={"alcohol"})) for i in range(5)]
        lb.list()
        decodes = []
        monkeypatch.setattr(decoded, "from_dict", lambda d: decodes.append(d["id"])
                            or from_dict(d))
        lb.sync_records.set_states([(i, SyncState.SYNCED, None) for i in ids[:3]])
        record = lb.get(ids[4])
        record.place = "Torget"
        lb.update(record)  # new content: decoded afresh
        assert _listed(lb) == _afresh(lb) and decodes == [ids[4]]
        assert [r.sync_state for r in lb.list()][:3] == [SyncState.SYNCED.value] * 3
    finally:
        lb.close()


def test_the_grouping_for_copies_is_made_by_list_and_kept_up_to_date_by_a_catch_up():
    today = datetime.now(UTC)
    with Logbook.in_memory() as lb:
        first = lb.add(Observation(place="Torget"))
        lb.list()
        grouping = lb._decoded._every_by_class
        lb.add(SchoolVisit(school="Gjesdal ungdomsskole"))  # caught up: the grouping follows
        lb.current(today.date(), 14)
        assert lb._decoded._every_by_class is grouping
        assert [type(r) for r in lb.list()] == [Observation, SchoolVisit]
        lb.delete(first)  # sorted afresh: Home (which copies nothing) makes no grouping
        lb.current(today.date(), 14)
        assert lb._decoded._every_by_class is None
        assert [type(r) for r in lb.list()] == [SchoolVisit]
        assert lb._decoded._every_by_class is not None


@pytest.mark.parametrize("store", ["memory", "sealed"])
def test_catching_up_after_each_write_gives_what_sorting_afresh_gives(store, tmp_path,
                                                                       monkeypatch):
    """After every single write, ``list()``, Home's records and the ids waiting to sync are
    what decoding every document afresh gives, also when the clock stands still or goes back
    (records with the same or an older created_at must fall into the place a fresh sort puts
    them)."""
    import fieldapp.decoded as decoded

    rng = random.Random(11)
    moment = [datetime(2026, 12, 1, 9, tzinfo=UTC)]

    def clock() -> datetime:
        step = rng.choice([timedelta(0), timedelta(seconds=1), timedelta(seconds=1),
                           timedelta(seconds=-5)])
        moment[0] += step
        return moment[0]

    lb = Logbook.in_memory(clock=clock) if store == "memory" else Logbook.create(
        tmp_path / "data", PIN, kdf=KdfParams.FLOOR, clock=clock)
    full = []
    real_decoded = decoded.DecodedRecords._decoded
    monkeypatch.setattr(decoded.DecodedRecords, "_decoded", lambda self, *a, **k: full.append(
        self is lb._decoded and k["every_kind"]) or real_decoded(self, *a, **k))
    try:
        ids: list[str] = []
        steps = 160
        for step in range(steps):
            move = rng.random()
            if move < 0.4 or not ids:
                ids.append(lb.add(rng.choice([
                    Observation(place=f"Sted {step}", categories={"alcohol"}),
                    SchoolVisit(school="Gjesdal ungdomsskole", topics=["bullying"]),
                    FollowUpCase(person_name="Ola Nordmann", concern="Skulker",
                                 birth_date=date(2011, 3, 4), services={"skole"},
                                 actions=[FollowUpAction(description="Ringe")])])))
            elif move < 0.6:
                record = lb.get(rng.choice(ids))
                record.municipality = rng.choice(["1122", "1103"])
                lb.update(record)
            elif move < 0.8:
                lb.sync_records.set_states([(rid, rng.choice(list(SyncState)), None)
                                            for rid in rng.sample(ids, min(3, len(ids)))])
            elif move < 0.85:
                lb.delete(ids.pop(rng.randrange(len(ids))))
            elif move < 0.9:
                lb.settings.write({"ui_language": rng.choice(["nb", "en"])})
            else:
                lb.list(Observation)  # one kind decoded on its own, past _every
            waiting = (SyncState.PENDING.value, SyncState.FAILED.value)
            assert sorted(lb.sync_records.waiting(waiting)) == sorted(
                d["id"] for d in _afresh(lb) if d["sync_state"] in waiting), step
            if rng.random() < 0.5:
                assert _listed(lb) == _afresh(lb), step
            else:
                day = moment[0].date()
                current = lb.current(day, 14)
                fresh = decoded.DecodedRecords().current(lb._require_open(), day, 14)
                assert sorted(to_dict(r)["id"] for r in current.records) == sorted(
                    to_dict(r)["id"] for r in fresh.records), step
                assert [to_dict(r) for r in sorted(current.records, key=lambda r: r.id)] == [
                    to_dict(r) for r in sorted(fresh.records, key=lambda r: r.id)], step
                assert current.due == fresh.due, step
        assert _listed(lb) == _afresh(lb)
        looks = sum(full)
        assert 0 < looks < steps / 2  # most writes were caught up, some needed a fresh sort
    finally:
        lb.close()
