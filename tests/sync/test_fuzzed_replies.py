"""Hostile and malformed backend replies (1,000+ of them, via a transport adapter mounted on
the run's session, so no socket opens): the client never crashes, never loses a record, never
marks one synced without a valid echo, and never lets reference data overwrite a record."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from requests.adapters import BaseAdapter

from fieldapp import Logbook
from fieldapp.domain import CrisisContact, Observation, SyncState
from sync import sync_now
from sync.enrolment import Enrolment, save_enrolment
from sync.transport import new_session
from tests.sync.sync_helpers import fake_response

URL = "https://slt.kommune.example"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12)

RESULT_MUTATIONS = {
    "wrong_hash": lambda r, i: r.update(hash="0" * 64),
    "other_hash_of_batch": lambda r, i: r.update(hash=i[-1]["hash"][::-1]),
    "wrong_revision": lambda r, i: r.update(revision=r["revision"] + 1),
    "bool_revision": lambda r, i: r.update(revision=True),
    "string_revision": lambda r, i: r.update(revision="1"),
    "missing_key": lambda r, i: r.pop("hash"),
    "extra_key": lambda r, i: r.update(synced=True),
    "unknown_status": lambda r, i: r.update(status="ok"),
    "bad_reason": lambda r, i: r.update(reason="<script>"),
    "other_id": lambda r, i: r.update(id="someone-else"),
    "null_hash": lambda r, i: r.update(hash=None),
}
# These break the reply's shape: the whole batch must fail. The others only break one echo.
STRUCTURAL = {"bool_revision", "string_revision", "missing_key", "extra_key", "unknown_status",
              "bad_reason", "null_hash"}
BODY_MUTATIONS = ["not_json", "truncated", "deep_nesting", "huge", "nan", "wrong_type",
                  "results_object", "duplicate_results", "random_json", "empty", "html",
                  "status_code", "results_missing"]


def _valid_results(items):
    return [{"id": i["id"], "revision": i["revision"], "hash": i["hash"],
             "status": "accepted", "reason": None} for i in items]


def _body(kind, items, extra):
    results = _valid_results(items)
    match kind:
        case "not_json":
            return 200, extra["bytes"], "application/json"
        case "truncated":
            return 200, json.dumps({"results": results}).encode()[:-3], "application/json"
        case "deep_nesting":
            return 200, b"[" * 200_000 + b"]" * 200_000, "application/json"
        case "huge":
            return 200, b'{"results": "' + b"x" * (5 * 1024 * 1024) + b'"}', "application/json"
        case "nan":
            return 200, b'{"results": [{"revision": NaN}]}', "application/json"
        case "wrong_type":
            return 200, json.dumps({"results": results}).encode(), "text/html"
        case "results_object":
            return 200, json.dumps({"results": {"a": results}}).encode(), "application/json"
        case "duplicate_results":
            return 200, json.dumps({"results": results + results}).encode(), "application/json"
        case "random_json":
            return 200, json.dumps(extra["json"]).encode(), "application/json"
        case "empty":
            return 200, b"", "application/json"
        case "html":
            return 502, b"<html>Bad gateway</html>", "text/html"
        case "status_code":
            return extra["status"], json.dumps(extra["json"]).encode(), "application/json"
        case _:
            return 200, b'{"answer": 42}', "application/json"


class HostileBackend(BaseAdapter):
    """Answers every call with replies drawn up front (the sync run calls from a worker
    thread, where hypothesis cannot draw); remembers which records may end up synced."""

    def __init__(self, data, foreign_id, count):
        super().__init__()
        self.foreign_id = foreign_id
        self.mode = data.draw(st.sampled_from(["result", "body", "body", "valid"]))
        self.body_kind = data.draw(st.sampled_from(BODY_MUTATIONS))
        self.extra = {"bytes": data.draw(st.binary(max_size=64)), "json": data.draw(json_values),
                      "status": data.draw(st.sampled_from([201, 204, 301, 302, 400, 401, 403,
                                                           404, 409, 413, 418, 426, 429, 500,
                                                           503]))}
        self.victims = set(data.draw(st.lists(st.integers(0, count - 1), min_size=1,
                                              max_size=count)))
        self.mutations = [data.draw(st.sampled_from(sorted(RESULT_MUTATIONS)))
                          for _ in self.victims]
        self.reference_choice = data.draw(st.sampled_from(
            ["foreign", "random", "deleted_foreign", "cursor_back"]))
        self.may_sync: set[str] = set()
        self.hostile = 0

    def send(self, request, **kwargs):
        if request.url.endswith("/v1/push"):
            return fake_response(request, *self._push(json.loads(request.body)["items"]))
        return fake_response(request, *self._reference())

    def _push(self, items):
        self.hostile += self.mode != "valid"
        if self.mode == "valid":
            self.may_sync = {i["id"] for i in items}
            return 200, json.dumps({"results": _valid_results(items)}).encode(), \
                "application/json"
        if self.mode == "body":
            return _body(self.body_kind, items, self.extra)
        results = _valid_results(items)
        for index, name in zip(sorted(self.victims), self.mutations, strict=True):
            RESULT_MUTATIONS[name](results[index], items)
        ids = [r.get("id") for r in results]
        if not set(self.mutations) & STRUCTURAL and len(set(ids)) == len(ids):
            self.may_sync = {items[i]["id"] for i in range(len(items)) if i not in self.victims}
        return 200, json.dumps({"results": results}).encode(), "application/json"

    def _reference(self):
        self.hostile += 1
        contact = {"name": "Ola", "role": "ordforer", "organisation": "", "phone": "",
                   "email": "", "last_verified": None}
        item = {"seq": 1, "kind": "crisis_contact", "id": self.foreign_id, "deleted": False,
                "data": contact}
        choice = self.reference_choice
        if choice == "random":
            return 200, json.dumps(self.extra["json"]).encode(), "application/json"
        if choice == "deleted_foreign":
            item.update(deleted=True, data={})
        body = {"items": [item], "cursor": 0 if choice == "cursor_back" else 1, "more": False}
        return 200, json.dumps(body).encode(), "application/json"

    def close(self):
        pass


@pytest.mark.slow
def test_fuzzed_replies_never_crash_lose_or_wrongly_sync():
    served = {"hostile": 0}

    @settings(max_examples=1000, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data(), count=st.integers(1, 4))
    def one(data, count):
        lb = Logbook.in_memory()
        save_enrolment(lb, Enrolment(url=URL, municipality="", recipient="slt", device_id="d",
                                     device_name="t", server_name="s", token="t" * 43))
        ids = [lb.add(Observation(place=f"Sted {i}", youth_count=i)) for i in range(count)]
        before = {rid: lb.get(rid) for rid in ids}
        adapter = HostileBackend(data, foreign_id=ids[0], count=count)

        def session():
            s = new_session()
            s.mount("https://", adapter)
            return s

        report = sync_now(lb, session_factory=session, retries=0, backoff=0, purge=False)
        served["hostile"] += adapter.hostile

        states = {rid: lb.get(rid).sync_state for rid in ids}
        synced = {rid for rid, state in states.items() if state == SyncState.SYNCED}
        assert synced == adapter.may_sync == set(report.sent)
        assert set(states.values()) <= {SyncState.SYNCED, SyncState.FAILED}
        for rid, record in before.items():
            now = lb.get(rid)
            assert isinstance(now, Observation) and now.place == record.place
            assert now.revision == record.revision
        assert lb.count(Observation) == count and lb.count(CrisisContact) == 0
        lb.close()

    one()
    assert served["hostile"] >= 1000
