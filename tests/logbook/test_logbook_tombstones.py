"""Deleting leaves a tombstone (no content) for the backend: over memory and the sealed store."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from fieldapp import Logbook, RecordNotFound
from fieldapp import tombstones as tombstones_module
from fieldapp.domain import Consent, CrisisContact, FollowUpCase, Observation
from fieldapp.store import KdfParams
from tests.support.pins import PIN

CANARY = "GRAVSTEIN-KANARI-5521"
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture(params=["memory", "sealed"])
def lb(request, tmp_path):
    if request.param == "memory":
        book = Logbook.in_memory(clock=lambda: NOW)
    else:
        book = Logbook.create(tmp_path / "data", PIN, kdf=KdfParams.FLOOR, clock=lambda: NOW)
    yield book
    book.close()


def _case(lb) -> tuple[str, str]:
    cid = lb.add(FollowUpCase(person_name=CANARY, birth_date=date(2011, 3, 4),
                              concern=CANARY, municipality="1122"))
    consent = lb.add(Consent(case_id=cid, given_by=CANARY, recipients={"slt"},
                             purpose="SLT-oppfølging", given_at=NOW - timedelta(days=1)))
    return cid, consent


def test_delete_leaves_a_tombstone_without_content(lb):
    rid = lb.add(Observation(place="Ålgård", note=CANARY, municipality="1122"))
    record = lb.get(rid)
    lb.update(record)
    lb.delete(rid)
    [stone] = lb.tombstones()
    assert stone.wire() == {"id": rid, "kind": "observation", "revision": 3,
                            "municipality": "1122"}
    assert stone.state == "pending" and stone.deleted_at == NOW.isoformat()
    assert CANARY not in repr(stone) and "Ålgård" not in repr(stone)
    with pytest.raises(RecordNotFound):
        lb.get(rid)


def test_tombstones_are_not_records(lb):
    kept = lb.add(Observation(place="A", municipality="1122"))
    lb.delete(lb.add(Observation(place="B", municipality="1122")))
    assert [r.id for r in lb.list()] == [kept]
    assert [r.id for r in lb.list()] == [kept]
    assert lb.count() == 1 and len(lb.tombstones()) == 1


def test_deleting_a_case_tombstones_its_consents(lb):
    cid, consent = _case(lb)
    lb.delete(cid)
    stones = {t.id: t for t in lb.tombstones()}
    assert set(stones) == {cid, consent}
    assert stones[consent].kind == "consent" and stones[consent].municipality == "1122"
    assert stones[cid].kind == "follow_up_case" and stones[cid].revision == 2
    assert lb.list() == []


def test_local_only_records_leave_no_tombstone(lb):
    rid = lb.add(CrisisContact(name="Kari", role="ordforer", phone="91234567"))
    lb.delete(rid)
    assert lb.tombstones() == []


def test_acknowledging_removes_only_the_matching_revision(lb):
    first = lb.add(Observation(place="A", municipality="1122"))
    second = lb.add(Observation(place="B", municipality="1122"))
    lb.delete(first)
    lb.delete(second)
    assert lb.acknowledge_tombstones([(first, 2), (second, 7)]) == [True, False]
    assert [t.id for t in lb.tombstones()] == [second]
    assert lb.acknowledge_tombstones([(first, 2)]) == [False]


def test_no_removal_without_its_tombstone(lb, monkeypatch):
    rid = lb.add(Observation(place="A", municipality="1122"))

    def broken(self, stones):
        raise OSError("disk full")

    monkeypatch.setattr(tombstones_module.TombstoneBook, "record", broken)
    with pytest.raises(OSError):
        lb.delete(rid)
    assert lb.get(rid).id == rid
    assert lb.tombstones() == []


def test_an_interrupted_delete_is_finished_on_open(tmp_path, monkeypatch):
    lb = Logbook.create(tmp_path / "data", PIN, kdf=KdfParams.FLOOR, clock=lambda: NOW)
    cid, consent = _case(lb)
    kept = lb.add(Observation(place="A", municipality="1122"))

    def crash(db, index, record_ids):
        raise OSError("killed between the two writes")

    with monkeypatch.context() as patch:
        patch.setattr(tombstones_module, "_remove", crash)
        with pytest.raises(OSError):
            lb.delete(cid)
    assert lb.get(cid).id == cid  # the tombstones are written, the records still there
    lb.close()
    lb = Logbook.open(tmp_path / "data", PIN)
    try:
        assert [r.id for r in lb.list()] == [kept]
        assert {t.id for t in lb.tombstones()} == {cid, consent}
    finally:
        lb.close()


def test_tombstones_survive_reopen_and_hold_no_content(tmp_path):
    lb = Logbook.create(tmp_path / "data", PIN, kdf=KdfParams.FLOOR, clock=lambda: NOW)
    cid, _ = _case(lb)
    lb.delete(cid)
    lb.close()
    lb = Logbook.open(tmp_path / "data", PIN)
    try:
        raw = lb._db.storage.read()["tombstones"]  # the table as stored
        assert len(raw) == 2 and CANARY not in repr(raw)
        assert {t.kind for t in lb.tombstones()} == {"follow_up_case", "consent"}
    finally:
        lb.close()
