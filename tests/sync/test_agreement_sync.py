"""The agreement travels down from the municipal backend (real server on loopback)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fieldapp.domain.agreement import PriorityArea, agreement_to_json, default_agreement
from sync import enrol, sync_now
from sync.protocol import ReferenceItem
from sync.reference import apply_agreement
from sync.server import agreements
from tests.support.backend import server_cli
from tests.sync.sync_helpers import FAST

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _gjesdal(presence: int = 2):
    a = default_agreement("gjesdal")
    a.presence_days_per_week = presence
    a.priority_areas.append(PriorityArea(code="skolevei", title_nb="Trygg skolevei"))
    return a


def _import(backend, tmp_path, *items) -> dict:
    path = tmp_path / "agreement.json"
    path.write_text(json.dumps([agreement_to_json(a) for a in items], default=str),
                    encoding="utf-8")
    db = backend.admin_db()
    try:
        return agreements.import_agreements(db, path)
    finally:
        db.close()


def _stored(lb):
    return lb.agreements.all()


def test_the_backends_agreement_reaches_the_phone_and_wins_only_when_it_changes(
        lb, backend, tmp_path):
    backend.configure(municipality="1122")
    assert _import(backend, tmp_path, _gjesdal())["added"] == 1
    enrol(lb, backend.url, backend.code())
    assert sync_now(lb, **FAST).ok
    stored = _stored(lb)["1122"]
    assert stored.presence_days_per_week == 2
    assert stored.area("skolevei").title_nb == "Trygg skolevei"
    assert lb.agreements.source("1122").source == "backend"

    # An edit on the phone stands while the backend's copy does not change …
    local = _gjesdal(presence=3)
    lb.agreements.save(local, "local", NOW)
    assert sync_now(lb, **FAST).ok
    assert _stored(lb)["1122"].presence_days_per_week == 3
    # … and the municipality's new version replaces it.
    assert _import(backend, tmp_path, _gjesdal(presence=4))["changed"] == 1
    assert sync_now(lb, **FAST).ok
    assert _stored(lb)["1122"].presence_days_per_week == 4
    assert lb.agreements.source("1122").source == "backend"


def test_another_municipalitys_agreement_is_refused(lb, backend, tmp_path):
    backend.configure(municipality="1122")
    _import(backend, tmp_path, _gjesdal(), default_agreement("stjordal"))
    enrol(lb, backend.url, backend.code())
    report = sync_now(lb, **FAST)
    assert report.ok
    assert set(_stored(lb)) == {"1122"}


def test_a_broken_agreement_in_the_feed_is_skipped_and_the_rest_applied(lb, backend, tmp_path):
    backend.configure(municipality="1122")
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("navn;rolle\nOla Ordfører;ordforer\n", encoding="utf-8")
    db = backend.admin_db()
    try:
        from sync.server import admin
        admin.replace_reference(db, "agreement", {"1122": {"version": 1, "municipality": "1122",
                                                           "cadence_anchor": "2026-12-02"}})
        admin.import_contacts(db, contacts)
    finally:
        db.close()
    enrol(lb, backend.url, backend.code())
    report = sync_now(lb, **FAST)
    assert report.ok, report.errors
    assert lb.agreements.all() == {}
    assert report.pulled == 1          # the contact, not the agreement


def _item(data, deleted=False, code="1122"):
    return ReferenceItem(seq=1, kind="agreement", id=code, deleted=deleted, data=data)


def test_a_deleted_agreement_falls_back_to_the_default_unless_edited_on_the_phone(lb):
    assert apply_agreement(lb, "1122", _item(agreement_to_json(_gjesdal())), NOW) == 1
    assert apply_agreement(lb, "1122", _item({}, deleted=True), NOW) == 1
    assert lb.agreements.all() == {}
    assert lb.agreements.source("1122") is None

    local = _gjesdal(presence=5)
    lb.agreements.save(local, "local", NOW)
    assert apply_agreement(lb, "1122", _item({}, deleted=True), NOW) == 0
    assert _stored(lb)["1122"].presence_days_per_week == 5
    # The enrolment's municipality is the only one a backend may set.
    assert apply_agreement(lb, "", _item(agreement_to_json(_gjesdal())), NOW) == 0
    wrong_id = _item(agreement_to_json(_gjesdal()), code="5035")
    assert apply_agreement(lb, "5035", wrong_id, NOW) == 0


def _cli(*args):
    return server_cli(*args, timeout=120)


def test_agreement_commands_export_the_default_and_refuse_a_bad_file(tmp_path):
    db = str(tmp_path / "k.sqlite3")
    assert _cli("config", "--db", db, "--municipality", "5035").returncode == 0
    out = _cli("agreement", "export", "--db", db)
    assert out.returncode == 0, out.stderr
    exported = json.loads(out.stdout)
    assert [a["municipality_name"] for a in exported] == ["Stjørdal kommune"]
    exported[0]["agenda_lead_days"] = 10
    good = tmp_path / "good.json"
    good.write_text(json.dumps(exported), encoding="utf-8")
    assert "added=1" in _cli("agreement", "import", "--db", db, str(good)).stdout
    assert json.loads(_cli("agreement", "export", "--db", db).stdout)[0]["agenda_lead_days"] == 10
    exported[0]["agenda_lead_days"] = 99
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(exported), encoding="utf-8")
    refused = _cli("agreement", "import", "--db", db, str(bad))
    assert refused.returncode == 2 and "agenda_lead_days" in refused.stderr
    bad.write_text("{not json", encoding="utf-8")
    refused = _cli("agreement", "import", "--db", db, str(bad))
    assert refused.returncode == 2 and "not JSON" in refused.stderr
