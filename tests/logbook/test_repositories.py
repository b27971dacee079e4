"""The typed repositories on the Logbook (agreements, served municipalities, preferences): one
contract over the in-memory and the sealed store. A save is one durable write: all or none."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fieldapp import Logbook, LogbookClosed
from fieldapp.domain.agreement import PriorityArea, School, default_agreement
from fieldapp.repositories import AgreementSource, ServedMunicipality
from fieldapp.store import KdfParams
from tests.support.pins import PIN

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
GJESDAL = ServedMunicipality("1122", "Gjesdal", ("Gjesdal ungdomsskole",))
SANDNES = ServedMunicipality("1108", "Sandnes", ("Lura skole",))


@pytest.fixture(params=["memory", "sealed"])
def lb(request, tmp_path):
    book = (Logbook.in_memory() if request.param == "memory"
            else Logbook.create(tmp_path / "data", PIN, kdf=KdfParams.FLOOR))
    yield book
    book.close()


def _count_writes(book: Logbook, monkeypatch) -> list[str]:
    """Every durable write the store makes from now on (one frame each in the sealed store)."""
    storage = book._db.storage
    calls: list[str] = []
    for name in ("apply", "apply_many", "write"):
        original = getattr(storage, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(storage, name, counted)
    return calls


def test_served_municipalities_round_trip_typed(lb):
    assert lb.served.all() == [] and lb.served.codes() == []
    lb.served.replace([GJESDAL, SANDNES])
    assert lb.served.all() == [GJESDAL, SANDNES]
    assert lb.served.codes() == ["1122", "1108"]
    assert lb.served.get("1108") == SANDNES and lb.served.get("5035") is None
    assert lb.served.schools() == ["Gjesdal ungdomsskole", "Lura skole"]
    assert lb.municipalities()[0] == {"code": "1122", "name": "Gjesdal",
                                      "schools": ["Gjesdal ungdomsskole"]}


def test_agreement_save_is_one_write_with_its_source_and_schools(lb, monkeypatch):
    lb.served.replace([GJESDAL, SANDNES])
    edited = default_agreement("gjesdal")
    edited.presence_days_per_week = 3
    edited.schools.append(School(name="Dirdal skule", visit_every_days=28))
    writes = _count_writes(lb, monkeypatch)
    lb.agreements.save(edited, "local", NOW)
    assert writes == ["apply_many"]
    assert lb.agreements.all() == {"1122": edited}
    assert lb.agreements.get("1122") == edited
    assert lb.agreements.source("1122") == AgreementSource("local", NOW.isoformat())
    assert lb.served.get("1122").schools == ("Gjesdal ungdomsskole", "Dirdal skule")
    assert lb.served.get("1108") == SANDNES


def test_a_backend_save_leaves_the_school_list_to_the_backend(lb):
    lb.served.replace([GJESDAL])
    synced = default_agreement("gjesdal")
    synced.schools.append(School(name="Dirdal skule"))
    lb.agreements.save(synced, "backend", NOW)
    assert lb.agreements.source("1122").source == "backend"
    assert lb.served.get("1122") == GJESDAL


def test_reset_is_one_write_and_the_signed_agreement_counts_again(lb, monkeypatch):
    edited = default_agreement("gjesdal")
    edited.priority_areas = [PriorityArea(code="skolevei", title_nb="Trygg skolevei")]
    lb.agreements.save(edited, "local", NOW)
    lb.agreements.save(default_agreement("stjordal"), "backend", NOW)
    writes = _count_writes(lb, monkeypatch)
    lb.agreements.reset("1122")
    assert writes == ["apply_many"]
    assert set(lb.agreements.all()) == {"5035"}
    assert lb.agreements.source("1122") is None
    assert lb.agreements.source("5035").source == "backend"
    assert lb.agreements.get("1122") == default_agreement("gjesdal")
    assert lb.agreements.get("9999") is None


def test_an_unknown_source_is_refused_and_nothing_is_written(lb, monkeypatch):
    writes = _count_writes(lb, monkeypatch)
    with pytest.raises(ValueError):
        lb.agreements.save(default_agreement("gjesdal"), "somewhere", NOW)
    assert writes == [] and lb.agreements.all() == {}


def test_values_handed_out_are_copies(lb):
    lb.served.replace([GJESDAL])
    lb.agreements.save(default_agreement("gjesdal"), "local", NOW)
    lb.agreements.all()["1122"].presence_days_per_week = 7
    lb.settings.get("agreements")[0]["presence_days_per_week"] = 7
    assert lb.agreements.get("1122").presence_days_per_week == 1


def test_preferences_are_typed_with_defaults(lb):
    p = lb.preferences
    assert (p.language, p.theme, p.idle_minutes, p.last_place) == ("", "", 0, "")
    p.language, p.theme, p.idle_minutes = "en", "dark", 5
    p.last_place = "  Ålgård stasjon "
    assert (p.language, p.theme, p.idle_minutes, p.last_place) == ("en", "dark", 5,
                                                                  "Ålgård stasjon")
    p.last_place = ""
    assert p.last_place == "" and lb.settings.get("last_place") is None
    lb.settings.write({"idle_minutes": True, "language": 3})  # an odd stored value
    assert p.idle_minutes == 0 and p.language == ""


def test_unreadable_entries_are_left_out_not_fatal(lb):
    lb.settings.write({"municipalities": [{"code": "1122", "name": "Gjesdal"}, "junk", 7],
                       "agreements": [{"version": 99}, "junk"],
                       "agreement_sources": {"1122": {"source": "elsewhere"}, "5035": 3}})
    assert lb.served.all() == [ServedMunicipality("1122", "Gjesdal")]
    assert lb.agreements.all() == {} and lb.agreements.sources() == {}
    lb.agreements.save(default_agreement("gjesdal"), "local", NOW)
    assert {"version": 99} in lb.settings.get("agreements")  # kept as it was


def test_a_locked_logbook_refuses(lb):
    lb.close()
    with pytest.raises(LogbookClosed):
        lb.agreements.all()
    with pytest.raises(LogbookClosed):
        lb.preferences.language = "en"


def test_a_save_that_fails_to_reach_the_disk_leaves_nothing(tmp_path, monkeypatch):
    data = tmp_path / "data"
    book = Logbook.create(data, PIN, kdf=KdfParams.FLOOR)
    book.served.replace([GJESDAL])
    from fieldapp.store import sealed
    full = [True]
    real_datasync = sealed.datasync

    def disk_full(fd):
        if full[0]:
            raise OSError(28, "No space left on device")
        real_datasync(fd)

    monkeypatch.setattr(sealed, "datasync", disk_full)
    edited = default_agreement("gjesdal")
    edited.schools.append(School(name="Dirdal skule"))
    with pytest.raises(OSError):
        book.agreements.save(edited, "local", NOW)
    assert book.agreements.all() == {} and book.agreements.sources() == {}
    assert book.served.get("1122") == GJESDAL
    full[0] = False
    book.close()
    reopened = Logbook.open(data, PIN)
    try:
        assert reopened.agreements.all() == {} and reopened.agreements.sources() == {}
        assert reopened.served.get("1122") == GJESDAL
    finally:
        reopened.close()


def test_a_save_survives_reopening(tmp_path):
    data = tmp_path / "data"
    book = Logbook.create(data, PIN, kdf=KdfParams.FLOOR)
    book.served.replace([GJESDAL])
    book.agreements.save(default_agreement("gjesdal"), "local", NOW)
    book.preferences.last_municipality = "1122"
    book.close()
    again = Logbook.open(data, PIN)
    try:
        assert again.agreements.all() == {"1122": default_agreement("gjesdal")}
        assert again.agreements.source("1122") == AgreementSource("local", NOW.isoformat())
        assert again.preferences.last_municipality == "1122"
        assert again.served.all() == [GJESDAL]
    finally:
        again.close()


def test_a_crash_after_the_first_durable_write_cannot_split_a_save(tmp_path, monkeypatch):
    """Saving an agreement writes the agreement, its source and the schools: were they
    separate writes, a failure at the second would leave the agreement without its source."""
    from fieldapp.store import sealed
    book = Logbook.create(tmp_path / "data", PIN, kdf=KdfParams.FLOOR)
    book.served.replace([GJESDAL])
    real_datasync, syncs = sealed.datasync, []

    def second_fails(fd):
        syncs.append(fd)
        if len(syncs) == 2:
            raise OSError(5, "I/O error")
        real_datasync(fd)

    monkeypatch.setattr(sealed, "datasync", second_fails)
    edited = default_agreement("gjesdal")
    edited.schools.append(School(name="Dirdal skule"))
    book.agreements.save(edited, "local", NOW)
    assert len(syncs) == 1
    assert book.agreements.source("1122") == AgreementSource("local", NOW.isoformat())
    assert book.served.get("1122").schools == ("Gjesdal ungdomsskole", "Dirdal skule")
    book.close()


def test_sync_states_and_the_bookkeeping_beside_them_are_one_write(lb, monkeypatch):
    from fieldapp.domain import Observation
    from sync.ledger import Ledger
    a, b = lb.add(Observation(place="Torget")), lb.add(Observation(place="Parken"))
    writes = _count_writes(lb, monkeypatch)
    notes = {b: {"state": "failed", "attempts": 1, "error": "timeout",
                 "next_at": NOW.isoformat()}}
    done = lb.sync_records.set_states([(a, "synced", 1), (b, "failed", 1)],
                                      settings=Ledger.outbox_changes(notes, []))
    assert done == [True, True] and writes == ["apply_many"]
    assert (lb.get(a).sync_state, lb.get(b).sync_state) == ("synced", "failed")
    assert Ledger(lb).outbox_notes() == notes
    assert lb.get(a).revision == 1  # a state change is not a new revision
    stale = lb.sync_records.set_states([(a, "pending", 2)])
    assert stale == [False] and lb.get(a).sync_state == "synced"
    assert writes == ["apply_many"]  # nothing to write: no frame at all


def test_syncs_ledger_round_trips_and_reads_odd_values_as_defaults(lb):
    from sync.ledger import Ledger
    ledger = Ledger(lb)
    assert (ledger.enrolments_raw(), ledger.outbox_notes(), ledger.shared_cases()) == ([], {}, [])
    assert (ledger.last_run(), ledger.last_purge(), ledger.school_ids()) == (None, "", {})
    assert (ledger.batch_size(100), ledger.retention_days(90)) == (100, 90)
    ledger.write({**Ledger.enrolments_changes([{"url": "https://k.example"}]),
                  **Ledger.outbox_changes({"r1": {"state": "failed"}}, ["c1"]),
                  **Ledger.last_run_changes({"sent": 3}),
                  **Ledger.last_purge_changes(NOW.isoformat()),
                  **Ledger.school_ids_changes({"https://k.example": {"s1": "Skolen"}})})
    ledger.set_batch_size(20)
    ledger.set_retention_days(30)
    assert ledger.enrolments_raw() == [{"url": "https://k.example"}]
    assert ledger.outbox_notes() == {"r1": {"state": "failed"}}
    assert ledger.shared_cases() == ["c1"] and ledger.last_run() == {"sent": 3}
    assert ledger.last_purge() == NOW.isoformat()
    assert ledger.school_ids() == {"https://k.example": {"s1": "Skolen"}}
    assert (ledger.batch_size(100), ledger.retention_days(90)) == (20, 30)
    lb.settings.write({"sync.enrolments": {"not": "a list"}, "sync.outbox": ["x"],
                       "sync.batch_size": True, "sync.retention_days": -4,
                       "sync.last_run": "x", "sync.reference.schools": 3})
    assert (ledger.enrolments_raw(), ledger.outbox_notes(), ledger.school_ids()) == ([], {}, {})
    assert (ledger.batch_size(100), ledger.retention_days(90), ledger.last_run()) == (100, 90,
                                                                                     None)
