"""Deletions reach the backend as tombstones: the real backend on loopback, raw HTTP, and
hostile replies through a mounted adapter."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime

import pytest
from requests.adapters import BaseAdapter

from fieldapp.domain import Observation, SyncState
from fieldapp.domain.consent import ConsentGate
from fieldapp.tombstones import Tombstone
from sync import sync_now, sync_status
from sync.enrolment import Enrolment, save_enrolment
from sync.errors import ProtocolError
from sync.protocol import make_item, parse_tombstone_reply
from sync.tombstones import never_left
from sync.transport import new_session
from tests.sync.sync_helpers import FAST, ForgedClient, fake_response

CANARY = "GRAVSTEIN-KANARI-9034"
URL = "https://slt.kommune.example"


def _observation(lb) -> str:
    return lb.add(Observation(place="Ålgård stasjon", note=f"Notat {CANARY}",
                              text_free_of_personal=True, municipality="1122"))


def _file_bytes(backend) -> bytes:
    return backend.stored_bytes()


def _wire_item(record) -> dict:
    decision = ConsentGate().decide(record, [], "slt", datetime.now(UTC))
    return make_item(record.id, record.kind, record.revision, decision.payload, [],
                     decision.basis)


# -- the phone's rules --------------------------------------------------------------------

def test_reply_parser_is_strict():
    good = {"id": str(uuid.uuid4()), "revision": 2, "status": "accepted", "reason": None}
    assert parse_tombstone_reply({"results": [good]})[0].status == "accepted"
    for bad in ({**good, "extra": 1}, {**good, "status": "conflict"}, {**good, "revision": True},
                {**good, "revision": "2"}, {**good, "reason": "<b>"},
                {k: v for k, v in good.items() if k != "reason"}):
        with pytest.raises(ProtocolError):
            parse_tombstone_reply({"results": [bad]})
    for body in ({"results": [good, good]}, {"results": {}}, [], {"results": [], "more": 1}):
        with pytest.raises(ProtocolError):
            parse_tombstone_reply(body)


def test_a_record_that_never_left_needs_no_tombstone_on_the_wire():
    def stone(state, revision, kind="observation", rid="r"):
        return Tombstone(rid, kind, "1122", revision, state)

    assert never_left(stone("pending", 2), {}, set())
    assert never_left(stone("pending", 5, "follow_up_case"), {}, set())
    assert not never_left(stone("pending", 3), {}, set())  # revision 1 may have gone
    assert not never_left(stone("pending", 2), {"r": {"state": "failed"}}, set())
    assert not never_left(stone("pending", 5, "follow_up_case"), {}, {"r"})
    for state in ("synced", "sending", "failed", "quarantined"):
        assert not never_left(stone(state, 2), {}, set())


# -- end to end on the real backend ---------------------------------------------------------

def test_delete_reaches_the_backend_and_its_content_goes(enrolled, backend, caplog):
    caplog.set_level(logging.DEBUG)
    lb = enrolled
    rid = _observation(lb)
    assert sync_now(lb, **FAST).sent == [rid]
    record = lb.get(rid)
    record.youth_count = 4
    lb.update(record)
    assert sync_now(lb, **FAST).sent == [rid]
    stale = _wire_item(lb.get(rid))
    assert CANARY.encode() in _file_bytes(backend)  # the check below can fail

    lb.delete(rid)
    status = sync_status(lb)
    assert status.deletions == 1 and status.waiting == 1
    report = sync_now(lb, **FAST)
    assert report.tombstones_sent == 1 and report.ok and lb.tombstones() == []
    assert sync_status(lb).deletions == 0

    assert backend.rows("SELECT * FROM records WHERE id = ?", (rid,)) == []
    [tomb] = backend.rows("SELECT id, kind, revision FROM tombstones")
    assert tomb == {"id": rid, "kind": "observation", "revision": 3}
    audit = backend.rows("SELECT record_id, revision, status, hash, reason FROM audit "
                         "WHERE event = 'tombstone'")
    assert audit == [{"record_id": rid, "revision": 3, "status": "accepted", "hash": None,
                      "reason": None}]
    assert CANARY.encode() not in _file_bytes(backend)
    assert CANARY not in caplog.text

    forger = ForgedClient(backend, "gammel-telefon")
    try:
        [result] = forger.push(stale)
    finally:
        forger.close()
    assert (result["status"], result["reason"]) == ("rejected", "deleted")
    assert backend.rows("SELECT id FROM records WHERE id = ?", (rid,)) == []


def test_a_stale_row_never_comes_back_even_past_the_intake(backend):
    rid = str(uuid.uuid4())
    forger = ForgedClient(backend)
    try:
        reply = forger.session.post(backend.url + "/v1/tombstones", timeout=5, json={
            "items": [{"id": rid, "kind": "observation", "revision": 4,
                       "municipality": "1122"}]})
    finally:
        forger.close()
    assert reply.json()["results"][0]["status"] == "accepted"
    db = backend.admin_db()
    try:
        with db.transaction() as conn:  # what an intake without the check would do
            conn.execute("INSERT INTO records VALUES (?, 3, 'observation', '1122', 'd', "
                         "'h', ?, '', '[]', 'now')", (rid, json.dumps({"note": CANARY})))
    finally:
        db.close()
    assert backend.rows("SELECT id FROM records WHERE id = ?", (rid,)) == []


def test_the_largest_revision_the_protocol_allows_is_stored(backend):
    rid = str(uuid.uuid4())
    forger = ForgedClient(backend)
    try:
        reply = forger.session.post(backend.url + "/v1/tombstones", timeout=5, json={
            "items": [{"id": rid, "kind": "observation", "revision": 2**53,
                       "municipality": "1122"}]})
    finally:
        forger.close()
    assert reply.status_code == 200, reply.text
    assert reply.json()["results"][0]["status"] == "accepted"
    assert backend.rows("SELECT revision FROM tombstones WHERE id = ?", (rid,)) == [
        {"revision": 2**53}]


def test_forged_tombstones_are_refused_by_id_kind_and_municipality(backend, caplog):
    caplog.set_level(logging.DEBUG)
    backend.configure(municipality="1122")
    person_like = "01017012345"
    items = [{"id": "not-a-uuid", "kind": "observation", "revision": 2, "municipality": "1122"},
             {"id": person_like, "kind": "observation", "revision": 2, "municipality": "1122"},
             {"id": str(uuid.uuid4()), "kind": "crisis_contact", "revision": 2,
              "municipality": "1122"},
             {"id": str(uuid.uuid4()), "kind": "observation", "revision": 2,
              "municipality": "5001"},
             {"id": str(uuid.uuid4()), "kind": "observation", "revision": 2,
              "municipality": "1122"}]
    forger = ForgedClient(backend)
    try:
        first = forger.session.post(backend.url + "/v1/tombstones", json={"items": items},
                                    timeout=5).json()["results"]
        again = forger.session.post(backend.url + "/v1/tombstones", json={"items": items[-1:]},
                                    timeout=5).json()["results"]
        extra = forger.session.post(backend.url + "/v1/tombstones", timeout=5, json={
            "items": [{**items[-1], "note": CANARY}]})
    finally:
        forger.close()
    assert [(r["status"], r["reason"]) for r in first] == [
        ("rejected", "invalid_id"), ("rejected", "invalid_id"),
        ("rejected", "kind_not_accepted"), ("rejected", "wrong_municipality"),
        ("accepted", None)]
    assert again[0]["status"] == "duplicate"
    assert extra.status_code == 422
    audit = json.dumps(backend.rows("SELECT * FROM audit WHERE event = 'tombstone'"))
    assert person_like not in audit and "not-a-uuid" not in audit
    assert person_like not in caplog.text


def test_tombstones_need_a_device_token(backend):
    import requests
    reply = requests.post(backend.url + "/v1/tombstones", json={"items": []},
                          headers={"X-App-Version": "0.1.0"}, timeout=5)
    assert reply.status_code == 401


# -- hostile replies: the tombstone stays until a valid echo --------------------------------

class TombstoneServer(BaseAdapter):
    def __init__(self, answer):
        super().__init__()
        self.answer = answer
        self.bodies: list[dict] = []

    def send(self, request, **kwargs):
        if request.url.endswith("/v1/tombstones"):
            body = json.loads(request.body)
            self.bodies.append(body)
            return fake_response(request, *self.answer(body["items"]))
        return fake_response(request, 200, b'{"items": [], "cursor": 0, "more": false}')

    def close(self):
        pass


def _echo(items, **change):
    return 200, json.dumps({"results": [
        {"id": i["id"], "revision": i["revision"], "status": "accepted", "reason": None,
         **change} for i in items]}).encode()


ANSWERS = {
    "garbage": lambda items: (200, b"<html>ok</html>"),
    "not_an_object": lambda items: (200, b"[]"),
    "server_error": lambda items: (500, b'{"error": {"code": "internal", "message": ""}}'),
    "wrong_revision": lambda items: _echo(items, revision=items[0]["revision"] + 1),
    "other_id": lambda items: _echo(items, id=str(uuid.uuid4())),
    "rejected": lambda items: _echo(items, status="rejected", reason="wrong_municipality"),
    "extra_key": lambda items: _echo(items, deleted=True),
}


def _run_against(lb, answer):
    save_enrolment(lb, Enrolment(url=URL, municipality="", recipient="slt", device_id="d",
                                 device_name="t", server_name="S", token="x" * 43))
    server = TombstoneServer(answer)

    def session():
        s = new_session()
        s.mount("https://", server)
        return s

    return server, sync_now(lb, session_factory=session, retries=0, backoff=0, purge=False)


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_a_bad_answer_keeps_the_tombstone(lb, name):
    rid = _observation(lb)
    lb.sync_records.set_state(rid, SyncState.SYNCED)
    lb.delete(rid)
    server, report = _run_against(lb, ANSWERS[name])
    assert len(server.bodies) == 1 and report.tombstones_sent == 0
    assert [(t.id, t.revision) for t in lb.tombstones()] == [(rid, 2)]
    assert sync_status(lb).deletions == 1


def test_a_valid_echo_forgets_it_and_only_the_four_keys_leave(lb):
    rid = _observation(lb)
    lb.sync_records.set_state(rid, SyncState.FAILED)
    lb.delete(rid)
    server, report = _run_against(lb, _echo)
    assert server.bodies == [{"items": [{"id": rid, "kind": "observation", "revision": 2,
                                         "municipality": "1122"}]}]
    assert report.tombstones_sent == 1 and lb.tombstones() == []


def test_a_record_that_never_left_sends_nothing(lb):
    lb.delete(_observation(lb))
    assert sync_status(lb).deletions == 0
    server, report = _run_against(lb, _echo)
    assert server.bodies == [] and report.tombstones_sent == 0 and lb.tombstones() == []


# -- corrections: older revisions lose their content ----------------------------------------

def test_purge_older_revisions_leaves_only_the_newest_content(tmp_path):
    from sync.server.db import Database
    from sync.server.tombstones import purge_older_revisions, scrub_wal
    db = Database(tmp_path / "kommune.sqlite3")
    rid, other = str(uuid.uuid4()), str(uuid.uuid4())
    try:
        with db.transaction() as conn:
            for record_id, revision in ((rid, 1), (rid, 2), (rid, 3), (other, 1)):
                conn.execute("INSERT INTO records VALUES (?, ?, 'observation', '1122', 'd', ?, "
                             "?, '', '[]', 'now')", (record_id, revision, f"h{revision}",
                                                     json.dumps({"note": f"{CANARY}-{revision}"
                                                                 f"{record_id[:4]}"})))
        before = db.path.read_bytes() + db.path.with_name(db.path.name + "-wal").read_bytes()
        assert f"{CANARY}-1{rid[:4]}".encode() in before
        with db.transaction() as conn:
            assert purge_older_revisions(conn, rid, 3) == 2
            assert purge_older_revisions(conn, rid, 3) == 0
        assert scrub_wal(db)
        rows = {(r["id"], r["revision"]): (r["payload"], r["hash"])
                for r in db.query("SELECT id, revision, payload, hash FROM records")}
    finally:
        db.close()
    assert rows[(rid, 1)] == ("{}", "h1") and rows[(rid, 2)] == ("{}", "h2")
    assert CANARY in rows[(rid, 3)][0] and CANARY in rows[(other, 1)][0]
    data = db.path.read_bytes()
    assert f"{CANARY}-1{rid[:4]}".encode() not in data
    assert f"{CANARY}-2{rid[:4]}".encode() not in data
    assert f"{CANARY}-3{rid[:4]}".encode() in data


# -- what the officer sees --------------------------------------------------------------------

def _texts(control) -> list[str]:
    found = [control.value] if isinstance(getattr(control, "value", None), str) else []
    for name in ("content", "controls"):
        inner = getattr(control, name, None)
        for child in inner if isinstance(inner, list) else [inner] if inner else []:
            found += _texts(child)
    return found


@pytest.mark.parametrize(("lang", "line"), [("nb", "Slettinger som venter på synk: 1"),
                                            ("en", "Deletions waiting to sync: 1")])
def test_the_sync_screen_shows_waiting_deletions(lb, lang, line):
    from types import SimpleNamespace

    from views import strings
    from views.sync.screen import SyncPanel
    t = lambda key, **kw: strings.text(key, lang, **kw)  # noqa: E731
    screen = SimpleNamespace(app=SimpleNamespace(logbook=lb), lang=lang, t=t)
    rid = _observation(lb)
    assert line not in _texts(SyncPanel(screen).control)
    lb.sync_records.set_state(rid, SyncState.SYNCED)
    lb.delete(rid)
    texts = _texts(SyncPanel(screen).control)
    assert line in texts
    assert not any("1 registrering" in t or "1 record" in t for t in texts)
