"""The sealed Logbook on disk: canary markers, PIN change, wrong PIN, creation rules."""

from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path

import pytest

from fieldapp import Logbook, LogbookExists, NoLogbook, PinRejected, WrongPin
from fieldapp.domain import (
    Consent,
    CrisisCallout,
    CrisisContact,
    FollowUpAction,
    FollowUpCase,
    Observation,
    SchoolVisit,
    TimelineEntry,
)
from fieldapp.store import KdfParams
from tests.support.pins import PIN


def _encodings(marker: str) -> list[bytes]:
    raw = marker.encode()
    forms = [raw, marker.encode("utf-16-le"), marker.encode("utf-16-be"),
             json.dumps(marker, ensure_ascii=True).encode()[1:-1]]
    for shift in range(3):  # base64 at each alignment, minus the unstable edges
        encoded = base64.b64encode(b"\0" * shift + raw)
        forms.append(encoded[4:-4])
    return forms


def _every_file(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_no_marker_in_any_file(tmp_path, monkeypatch):
    keystore_dir = tmp_path / "keys"
    monkeypatch.setenv("POLITIKONTAKT_KEYSTORE_DIR", str(keystore_dir))
    data = tmp_path / "data"
    markers = [f"KANARI{i:03d}Æøå" for i in range(40)]
    it = iter(markers)
    lb = Logbook.create(data, PIN, kdf=KdfParams.FLOOR)
    lb.add(Observation(place=next(it), note=next(it), actions_taken=next(it)))
    lb.add(SchoolVisit(school=next(it), note=next(it), contacts_met=[next(it), next(it)]))
    cid = lb.add(FollowUpCase(person_name=next(it), birth_date=date(2011, 2, 3),
                              concern=next(it), address=next(it), guardian_name=next(it),
                              actions=[FollowUpAction(description=next(it))]))
    lb.add(Consent(case_id=cid, given_by=next(it), purpose=next(it), recipients={"slt"}))
    lb.add(CrisisCallout(event_type="flood", called_by_name=next(it), role=next(it),
                         note=next(it), timeline=[TimelineEntry(text=next(it))]))
    lb.add(CrisisContact(name=next(it), role=next(it), organisation=next(it)))
    lb.preferences.last_place = next(it)
    lb.close()
    used = markers[: markers.index(next(it))]
    files = _every_file(data) + _every_file(keystore_dir)
    assert len(files) >= 2
    for path in files:
        blob = path.read_bytes()
        for marker in used:
            for form in _encodings(marker):
                assert form not in blob, f"{path.name} holds a marker"


def test_pin_change_keeps_database_bytes(tmp_path):
    data = tmp_path / "data"
    lb = Logbook.create(data, PIN, kdf=KdfParams.FLOOR)
    rid = lb.add(Observation(place="Torget"))
    before = {p.name: p.read_bytes() for p in data.iterdir() if p.name.startswith("logbook")}
    lb.change_pin(PIN, "739104")
    lb.close()
    after = {p.name: p.read_bytes() for p in data.iterdir() if p.name.startswith("logbook")}
    assert before == after and before
    with pytest.raises(WrongPin):
        Logbook.open(data, PIN)
    with Logbook.open(data, "739104") as again:
        assert again.get(rid).place == "Torget"


def test_wrong_pin_counts_down(tmp_path):
    data = tmp_path / "data"
    Logbook.create(data, PIN, kdf=KdfParams.FLOOR).close()
    with pytest.raises(WrongPin) as caught:
        Logbook.open(data, "000001")
    assert caught.value.attempts_left == 4
    assert "000001" not in str(caught.value)
    Logbook.open(data, PIN).close()


def test_creation_rules(tmp_path):
    data = tmp_path / "data"
    with pytest.raises(PinRejected):
        Logbook.create(data, "123456", kdf=KdfParams.FLOOR)
    with pytest.raises(NoLogbook):
        Logbook.open(data, PIN)
    Logbook.create(data, PIN, kdf=KdfParams.FLOOR).close()
    assert Logbook.exists(data)
    with pytest.raises(LogbookExists):
        Logbook.create(data, PIN, kdf=KdfParams.FLOOR)


def test_sealed_logbook_survives_reopen(tmp_path):
    lb = Logbook.create(tmp_path / "data", PIN, kdf=KdfParams.FLOOR)
    keep = lb.add(Observation(place="Torget", youth_count=3))
    gone = lb.add(Observation(place="Parken"))
    lb.delete(gone)
    rec = lb.get(keep)
    rec.note = "oppdatert"
    lb.update(rec)
    lb.preferences.language = "en"
    lb.close()
    again = Logbook.open(tmp_path / "data", PIN)
    try:
        assert [r.id for r in again.list()] == [keep]
        assert again.get(keep).note == "oppdatert" and again.get(keep).revision == 2
        assert again.preferences.language == "en"
    finally:
        again.close()
