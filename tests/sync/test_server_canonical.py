"""The canonical JSON of a pushed record is computed once (sync/server/canonical.py): the
composed hash is protocol.payload_hash byte for byte, and a stored payload is the canonical
JSON of what the gate let go, whether or not it is reused from the hash check."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.domain import Observation
from fieldapp.domain.consent import ConsentGate
from sync.protocol import canonical_json, make_item, payload_hash
from sync.server.canonical import hashed, same_json
from sync.server.models import PushItem
from tests.sync.sync_helpers import ForgedClient

SCALARS = st.none() | st.booleans() | st.integers(-2**70, 2**70) | \
    st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(record=st.dictionaries(st.text(max_size=8), JSON, max_size=6),
       consents=st.lists(st.dictionaries(st.text(max_size=4), JSON, max_size=3), max_size=2),
       basis=st.text(max_size=10), ident=st.text(max_size=10), kind=st.text(max_size=10),
       revision=st.integers(1, 2**53), schema=st.integers(-3, 3))
def test_the_composed_hash_is_the_protocols(record, consents, basis, ident, kind, revision,
                                            schema):
    item = {"id": ident, "kind": kind, "revision": revision, "schema": schema,
            "record": record, "consents": consents, "basis": basis, "hash": "x"}
    digest, record_json = hashed(item)
    assert digest == payload_hash(item)
    assert record_json == canonical_json(record)


@pytest.mark.parametrize("odd", [
    {"record": {"x": float("nan")}},
    {"record": {"x": float("inf")}},
    {"record": {"note": "Ola \ud800"}},          # a lone surrogate: no UTF-8 for it
    {"id": "\udc80a"}, {"basis": "samtykke\ud83d"}, {"kind": "\udfff"},
    {"consents": [{"id": "\ud800"}]},
])
def test_the_composed_hash_refuses_what_the_protocol_refuses(odd):
    item = {"id": "a", "kind": "k", "revision": 1, "schema": 1, "record": {"x": 1},
            "consents": [], "basis": "", **odd}
    with pytest.raises(ValueError):
        payload_hash(item)
    with pytest.raises(ValueError):
        hashed(item)


@settings(max_examples=300, deadline=None)
@given(a=JSON, b=JSON)
def test_same_json_means_the_same_canonical_bytes(a, b):
    if same_json(a, b):
        assert canonical_json(a) == canonical_json(b)
    assert same_json(a, json.loads(canonical_json(a)))


def test_values_equal_in_python_but_not_on_the_wire_are_not_the_same():
    for a, b in ((1, 1.0), (1, True), (0, False), (0.0, -0.0), ([1], (1,)), ({"a": 1}, {"a": 1.0}),
                 ({"a": [1, 2]}, {"a": [1, 2.0]}), ("1", 1), (None, 0)):
        assert not same_json(a, b) and not same_json(b, a)
    assert same_json({"b": [1, {"c": "x"}], "a": None}, {"a": None, "b": [1, {"c": "x"}]})


@pytest.mark.backend
def test_the_stored_payload_is_the_canonical_json_of_what_the_gate_let_go(backend):
    record = Observation(place="Ålgård stasjon", note="Rolig kveld «ute»", youth_count=4,
                         text_free_of_personal=True, municipality="1122", revision=1)
    decision = ConsentGate().decide(record, [], "slt", datetime.now(UTC))
    plain = make_item(record.id, record.kind, record.revision, decision.payload, [],
                      decision.basis)
    # the same values, but the keys in another order: the stored bytes are canonical all
    # the same (the phone's key order is not kept)
    other = Observation(place="Ålgård stasjon", note="Rolig", text_free_of_personal=True,
                        municipality="1122", revision=1)
    other_decision = ConsentGate().decide(other, [], "slt", datetime.now(UTC))
    reordered = make_item(other.id, other.kind, other.revision,
                          dict(reversed(list(other_decision.payload.items()))), [],
                          other_decision.basis)
    client = ForgedClient(backend)
    try:
        assert [r["status"] for r in client.push(plain, reordered)] == ["accepted"] * 2
    finally:
        client.close()
    for sent, gate in ((record, decision), (other, other_decision)):
        [row] = backend.rows("SELECT payload FROM records WHERE id = ?", (sent.id,))
        expected = canonical_json(dict(gate.payload, revision=sent.revision)).decode()
        assert row["payload"] == expected


@settings(max_examples=200, deadline=None)
@given(record=st.dictionaries(st.text(max_size=8), JSON, max_size=6),
       consents=st.lists(st.dictionaries(st.text(max_size=4), JSON, max_size=3), max_size=2),
       basis=st.text(max_size=10), revision=st.integers(1, 2**53), schema=st.integers(-3, 3))
def test_the_item_the_receiver_takes_is_the_item_as_it_came(record, consents, basis, revision,
                                                            schema):
    """``PushItem.wire`` (what the push endpoint hands the receiver) is the validated item
    with every field, as ``model_dump(by_alias=True)`` gives it: a field added to the model
    and left out of ``wire`` fails here."""
    item = PushItem.model_validate({"id": "x", "kind": "observation", "revision": revision,
                                    "schema": schema, "hash": "a" * 64, "record": record,
                                    "consents": consents, "basis": basis})
    assert item.wire() == item.model_dump(by_alias=True)
    assert list(item.wire()) == list(item.model_dump(by_alias=True))
