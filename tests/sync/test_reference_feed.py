"""The reference feed at size: 1,500 schools and 1,500 crisis-staff contacts from the REAL
backend arrive in a few logbook writes per page (not one or two per item, which made page
times grow with the list), later changes and removals apply, and the caps on contacts,
schools and pages per run refuse the rest with a message instead of growing without bound."""

from __future__ import annotations

import json
import math
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fieldapp.domain import CrisisContact
from sync import enrol, sync_now
from sync import reference as feed
from sync.enrolment import Enrolment, save_enrolment
from sync.ledger import Ledger
from sync.protocol import MAX_REFERENCE_PAGE
from sync.server import admin
from sync.texts import error_text
from tests.sync.sync_helpers import FAST


def _schools(backend, tmp_path, names):
    path = tmp_path / "skoler.csv"
    path.write_text("navn\n" + "".join(f"{n}\n" for n in names), encoding="utf-8")
    db = backend.admin_db()
    try:
        return admin.import_schools(db, path)
    finally:
        db.close()


def _contacts(backend, tmp_path, rows):
    path = tmp_path / "kontakter.csv"
    path.write_text("id,name,role,phone\n" + "".join(f"{i},{n},{r},{p}\n" for i, n, r, p in rows),
                    encoding="utf-8")
    db = backend.admin_db()
    try:
        return admin.import_contacts(db, path)
    finally:
        db.close()


def _cid(i):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kontakt-{i}"))


def _contact_rows(count):
    return [(_cid(i), f"Person {i}", f"Rolle {i % 7}", f"+47 9{i:07d}") for i in range(count)]


class WriteCounter:
    """Counts the logbook's durable writes: each call of the store's ``apply_many`` (one
    frame; ``apply`` goes through it)."""

    def __init__(self, lb, monkeypatch):
        self.count = 0
        log = lb._require_open().log
        original = log.apply_many

        def counted(*args, **kwargs):
            self.count += 1
            return original(*args, **kwargs)
        monkeypatch.setattr(log, "apply_many", counted)


def _pages(items):
    return math.ceil(items / MAX_REFERENCE_PAGE)


def test_1500_schools_arrive_in_a_few_writes_per_page(enrolled, backend, tmp_path,
                                                      monkeypatch):
    names = [f"Skole {i}" for i in range(1500)]
    _schools(backend, tmp_path, names)
    writes = WriteCounter(enrolled, monkeypatch)
    report = sync_now(enrolled, **FAST)
    assert report.ok and report.pulled == 1500
    assert sorted(enrolled.served.schools()) == sorted(names)
    assert len(Ledger(enrolled).school_ids()[backend.url]) == 1500
    # one write per page and a few for the run (enrolments, last run), not 3,000
    assert writes.count <= _pages(1500) + 4, writes.count

    renamed = {f"Skole {i}": f"Skole {i} (ny)" for i in range(10)}
    kept = [renamed.get(n, n) for n in names[:-10]]
    _schools(backend, tmp_path, kept)
    report = sync_now(enrolled, **FAST)
    assert report.ok
    assert sorted(enrolled.served.schools()) == sorted(kept)
    assert len(Ledger(enrolled).school_ids()[backend.url]) == 1490


def test_1500_contacts_arrive_in_a_few_writes_per_page(enrolled, backend, tmp_path,
                                                       monkeypatch):
    _contacts(backend, tmp_path, _contact_rows(1500))
    writes = WriteCounter(enrolled, monkeypatch)
    report = sync_now(enrolled, **FAST)
    assert report.ok and report.pulled == 1500
    contacts = {c.id: c for c in enrolled.list(CrisisContact)}
    assert len(contacts) == 1500 and contacts[_cid(7)].name == "Person 7"
    assert {c.municipality for c in contacts.values()} == {"1122"}
    # new contacts in one write per page, the cursor in one more: not 1,500 writes
    assert writes.count <= 2 * _pages(1500) + 4, writes.count

    rows = _contact_rows(1495)
    rows[3] = (_cid(3), "Person 3 endret", "Rolle 3", "+47 90000003")
    _contacts(backend, tmp_path, rows)
    report = sync_now(enrolled, **FAST)
    assert report.ok and report.pulled == 6   # one changed, five removed
    contacts = {c.id: c for c in enrolled.list(CrisisContact)}
    assert len(contacts) == 1495 and _cid(1499) not in contacts
    assert contacts[_cid(3)].name == "Person 3 endret"
    assert contacts[_cid(3)].revision == 2 and contacts[_cid(4)].revision == 1


def test_contacts_and_schools_beyond_the_caps_are_refused_with_a_message(
        enrolled, backend, tmp_path, monkeypatch):
    monkeypatch.setattr(feed, "MAX_SCHOOLS", 100)
    monkeypatch.setattr(feed, "MAX_CONTACTS", 100)
    _schools(backend, tmp_path, [f"Skole {i}" for i in range(150)])
    _contacts(backend, tmp_path, _contact_rows(150))
    report = sync_now(enrolled, **FAST)
    assert report.errors == {"1122": "reference_too_many"} and report.pulled == 200
    assert len(enrolled.served.schools()) == 100 and enrolled.count(CrisisContact) == 100
    assert "IT" in error_text("reference_too_many") and "IT" in error_text(
        "reference_too_many", "en")

    # within the caps, changes and removals still apply, and the next run is clean
    rows = _contact_rows(50)
    rows[0] = (_cid(0), "Person 0 endret", "Rolle 0", "+47 90000000")
    _contacts(backend, tmp_path, rows)
    report = sync_now(enrolled, **FAST)
    assert report.ok, report.errors
    assert enrolled.count(CrisisContact) == 50
    assert enrolled.get(_cid(0)).name == "Person 0 endret"


def test_the_caps_in_the_message_are_the_caps_in_the_code():
    for lang, number in (("nb", "2 000"), ("en", "2,000")):
        assert number in error_text("reference_too_many", lang)
    assert feed.MAX_SCHOOLS == feed.MAX_CONTACTS == 2000


def test_pages_beyond_one_runs_share_come_with_the_next_run(enrolled, backend, tmp_path,
                                                            monkeypatch):
    monkeypatch.setattr(feed, "MAX_PAGES", 2)
    names = [f"Skole {i}" for i in range(1500)]
    _schools(backend, tmp_path, names)
    first = sync_now(enrolled, **FAST)
    assert first.errors == {"1122": "reference_unfinished"} and first.pulled == 1000
    second = sync_now(enrolled, **FAST)
    assert second.ok and second.pulled == 500
    assert sorted(enrolled.served.schools()) == sorted(names)


class EndlessFeed(BaseHTTPRequestHandler):
    """A feed that always promises one more page, one new school at a time."""

    def do_GET(self):  # noqa: N802 - http.server's name
        cursor = int(self.path.rsplit("cursor=", 1)[1])
        item = {"seq": cursor + 1, "kind": "school", "id": f"s{cursor + 1}", "deleted": False,
                "data": {"name": f"Skole {cursor + 1}"}}
        body = json.dumps({"items": [item], "cursor": cursor + 1, "more": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def endless_feed():
    server = ThreadingHTTPServer(("127.0.0.1", 0), EndlessFeed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_endless_feed_stops_after_the_pages_of_one_run(lb, endless_feed):
    save_enrolment(lb, Enrolment(url=endless_feed, municipality="1122", recipient="slt",
                                 device_id="d", device_name="t", server_name="Gjesdal",
                                 token="t" * 43))
    report = sync_now(lb, **FAST)
    assert report.errors == {"1122": "reference_unfinished"}
    assert report.pulled == feed.MAX_PAGES == len(lb.served.schools())
    report = sync_now(lb, **FAST)   # the next run carries on where this one stopped
    assert len(lb.served.schools()) == 2 * feed.MAX_PAGES


def test_enrol_then_feed_through_the_public_api(lb, backend, tmp_path):
    _schools(backend, tmp_path, ["Gjesdal ungdomsskole"])
    enrol(lb, backend.url, backend.code())
    assert sync_now(lb, **FAST).pulled == 1
    assert lb.municipalities()[0]["schools"] == ["Gjesdal ungdomsskole"]
