"""The pusher returns what became of each record; the run folds the outcomes into its report.
Fast tests with a scripted transport (the real backend is in test_end_to_end and friends)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fieldapp import Logbook
from fieldapp.domain import Observation, SyncState
from sync.enrolment import Enrolment
from sync.errors import Unreachable
from sync.ledger import Ledger
from sync.planning import plan
from sync.push import BatchPusher

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
GJESDAL = Enrolment(url="https://slt.gjesdal.example", municipality="1122", recipient="slt",
                    device_id="d1", device_name="telefon", server_name="Gjesdal",
                    token="t" * 40)


def _items(body) -> list[dict]:
    """The items of a push body: the pusher hands the transport its JSON bytes."""
    return json.loads(body)["items"]


class ScriptedTransport:
    """Answers each push with the statuses given per record, in call order."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = 0

    def call(self, method, url, *, body, **kwargs):
        self.calls += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return {"results": [
            {"id": item["id"], "revision": item["revision"], "hash": item["hash"],
             "status": answer(item)[0], "reason": answer(item)[1]}
            for item in _items(body)]}


def _logbook(n: int) -> tuple[Logbook, list[str]]:
    lb = Logbook.in_memory(clock=lambda: NOW)
    lb.served.replace([{"code": "1122", "name": "Gjesdal"}])
    return lb, [lb.add(Observation(place=f"Sted {i}")) for i in range(n)]


def _push_all(pusher, planned):
    """Send items judged already (``plan``): each candidate's judgement is its plan."""
    by_id = {p.record.id: p for p in planned}
    return pusher.push_candidates([p.record for p in planned], lambda r: by_id.get(r.id))


def _pusher(lb, transport, batch_size=2):
    settled = []
    pusher = BatchPusher(lb, transport, GJESDAL, clock=lambda: NOW, batch_size=batch_size,
                         progress=settled.append)
    return pusher, settled


def test_each_record_gets_an_outcome_and_its_state(monkeypatch):
    lb, ids = _logbook(4)
    verdicts = {ids[0]: ("accepted", None), ids[1]: ("duplicate", None),
                ids[2]: ("rejected", "invalid_value"), ids[3]: ("rejected", "case_not_shared")}
    transport = ScriptedTransport(lambda item: verdicts[item["id"]],
                                  lambda item: verdicts[item["id"]])
    pusher, settled = _pusher(lb, transport)
    result = _push_all(pusher, plan(lb, [GJESDAL], NOW))
    assert result.error is None and transport.calls == 2 and settled == [2, 2]
    by_id = {o.record_id: (o.state, o.reason) for o in result.outcomes}
    assert by_id == {ids[0]: (SyncState.SYNCED, ""), ids[1]: (SyncState.SYNCED, ""),
                     ids[2]: (SyncState.QUARANTINED, "invalid_value"),
                     ids[3]: (SyncState.PENDING, "case_not_shared")}
    assert [lb.get(i).sync_state for i in ids] == ["synced", "synced", "quarantined", "pending"]
    assert Ledger(lb).outbox_notes()[ids[2]]["reason"] == "invalid_value"


def test_a_failed_call_fails_its_batch_settles_the_one_in_flight_and_stops():
    """Two batches are in flight: when batch 2 fails, batch 3 was already sent; it is
    settled, and batch 4 is never sent."""
    lb, ids = _logbook(8)
    accept = lambda item: ("accepted", None)  # noqa: E731
    transport = ScriptedTransport(accept, Unreachable("down"), accept)
    pusher, _ = _pusher(lb, transport)
    result = _push_all(pusher, plan(lb, [GJESDAL], NOW))
    assert isinstance(result.error, Unreachable) and transport.calls == 3
    states = {o.record_id: o.state for o in result.outcomes}
    assert [states.get(i) for i in ids] == [
        SyncState.SYNCED, SyncState.SYNCED, SyncState.FAILED, SyncState.FAILED,
        SyncState.SYNCED, SyncState.SYNCED, None, None]
    assert [lb.get(i).sync_state for i in ids[6:]] == ["pending", "pending"]  # never sent
    assert Ledger(lb).outbox_notes()[ids[2]]["error"] == Unreachable("down").code


def test_a_record_edited_while_in_flight_is_not_counted_as_sent():
    lb, ids = _logbook(1)

    def accept_and_edit(item):
        record = lb.get(ids[0])
        record.note = "endret"
        lb.update(record)
        return ("accepted", None)

    pusher, _ = _pusher(lb, ScriptedTransport(accept_and_edit))
    result = _push_all(pusher, plan(lb, [GJESDAL], NOW))
    assert result.outcomes == [] and lb.get(ids[0]).sync_state == "pending"


def test_one_durable_write_per_batch_and_the_next_batch_is_marked_sending_in_it():
    lb, ids = _logbook(10)
    writes = []
    real = lb.sync_records.set_states

    def counted(changes, **kwargs):
        writes.append([(rid, str(state)) for rid, state, _ in changes])
        return real(changes, **kwargs)

    lb.sync_records.set_states = counted
    accept = lambda item: ("accepted", None)  # noqa: E731
    pusher, _ = _pusher(lb, ScriptedTransport(*[accept] * 5), batch_size=2)
    result = _push_all(pusher, plan(lb, [GJESDAL], NOW))
    assert [o.state for o in result.outcomes] == [SyncState.SYNCED] * 10
    assert len(writes) == 5  # five batches, five writes (two per batch before)
    # the first write settles batch 1 and marks batch 2, which is already in flight, sending
    assert [s for _, s in writes[0]] == ["synced"] * 2 + ["sending"] * 2
    assert {rid for rid, _ in writes[0][2:]} == set(ids[2:4])
    assert all(lb.get(i).sync_state == "synced" for i in ids)


def test_a_record_edited_after_planning_is_not_sent_at_its_old_revision():
    lb, ids = _logbook(4)
    planned = plan(lb, [GJESDAL], NOW)
    edited = lb.get(ids[3])
    edited.place = "Et annet sted"
    lb.update(edited)
    transport = ScriptedTransport(lambda item: ("accepted", None),
                                  lambda item: ("accepted", None))
    sent = []
    real_call = transport.call

    def recording(method, url, *, body, **kwargs):
        sent.extend((i["id"], i["revision"]) for i in _items(body))
        return real_call(method, url, body=body, **kwargs)

    transport.call = recording
    pusher, _ = _pusher(lb, transport)
    result = _push_all(pusher, planned)
    assert (ids[3], 1) not in sent and len(sent) == 3
    assert lb.get(ids[3]).sync_state == "pending" and lb.get(ids[3]).revision == 2
    assert {o.record_id for o in result.outcomes} == set(ids[:3])


def test_each_batch_is_judged_only_after_the_batch_before_it_was_sent():
    """Batch k+1 is judged while batch k is with the backend: the judge of a record in
    batch 2 runs after batch 1's call went out, and before batch 1 was settled."""
    from sync.planning import Planner

    lb, ids = _logbook(4)
    events: list[str] = []
    planner = Planner(lb, [GJESDAL], NOW, records=lb.list())

    def judging(record):
        events.append(f"judge {ids.index(record.id)}")
        return planner.judge(record)

    transport = ScriptedTransport(lambda item: ("accepted", None),
                                  lambda item: ("accepted", None))
    real_call = transport.call

    def recording(method, url, *, body, **kwargs):
        events.append("post " + ",".join(str(ids.index(i["id"])) for i in _items(body)))
        return real_call(method, url, body=body, **kwargs)

    transport.call = recording
    pusher, settled = _pusher(lb, transport)
    result = pusher.push_candidates(planner.candidates(), judging)
    assert result.error is None and len(result.outcomes) == 4 and settled == [2, 2]
    assert events.index("judge 0") < events.index("post 0,1") < events.index("post 2,3")
    assert events.index("judge 2") < events.index("post 2,3")
    assert all(lb.get(i).sync_state == "synced" for i in ids)


def test_candidates_left_when_the_backend_stops_are_returned_unjudged():
    from sync.planning import Planner

    lb, ids = _logbook(6)
    planner = Planner(lb, [GJESDAL], NOW, records=lb.list())
    judged = []
    transport = ScriptedTransport(Unreachable("down"), lambda item: ("accepted", None))
    pusher, _ = _pusher(lb, transport)
    result = pusher.push_candidates(planner.candidates(), planner.judge,
                                    lambda p: judged.append(p and p.record.id))
    assert isinstance(result.error, Unreachable) and transport.calls == 2
    # batch 1 failed, batch 2 was in flight (sent and settled), batch 3 never judged
    assert judged == ids[:4] and [r.id for r in result.unjudged] == ids[4:]
    assert [lb.get(i).sync_state for i in ids] == [
        "failed", "failed", "synced", "synced", "pending", "pending"]
