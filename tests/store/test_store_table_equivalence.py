"""CachedTable gives the same results as stock TinyDB on random operation sequences."""

from __future__ import annotations

import copy
import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tinydb import Query, TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Document, Table

from fieldapp.store import CachedTable, FileKeyStore, KdfParams, SealedStorage, Vault
from fieldapp.store.changes import MemoryLogStorage
from tests.support.pins import PIN

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.text(max_size=6)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["x", "y"]), inner, max_size=2),
    max_leaves=6,
)
DOCS = st.dictionaries(st.sampled_from(["a", "b", "n", "tags"]), VALUES, max_size=4)
IDS = st.lists(st.integers(1, 12), max_size=3)
CONDS = st.sampled_from(["n==1", "n<3", "a?", "tags?", "true"])
MUTATORS = st.sampled_from(["append", "bump", "drop_a", "to_true"])

OPS = st.one_of(
    st.tuples(st.just("insert"), DOCS),
    st.tuples(st.just("insert_doc"), DOCS, st.integers(1, 12)),
    st.tuples(st.just("insert_multiple"), st.lists(DOCS, max_size=3)),
    st.tuples(st.just("update_ids"), DOCS, IDS),
    st.tuples(st.just("update_cond"), DOCS, CONDS),
    st.tuples(st.just("mutate_ids"), MUTATORS, IDS),
    st.tuples(st.just("mutate_cond"), MUTATORS, CONDS),
    st.tuples(st.just("remove_ids"), IDS),
    st.tuples(st.just("remove_cond"), CONDS),
    st.tuples(st.just("upsert"), DOCS, CONDS),
    st.tuples(st.just("truncate")),
    st.tuples(st.just("get"), st.integers(0, 12)),
    st.tuples(st.just("search"), CONDS),
)


def condition(name):
    q = Query()
    return {
        "n==1": q.n == 1,
        "n<3": q.n.test(lambda v: isinstance(v, int) and not isinstance(v, bool) and v < 3),
        "a?": q.a.exists(),
        "tags?": q.tags.exists(),
        "true": q.noop(),
    }[name]


def mutator(name):
    def append(doc):
        doc.setdefault("tags", [])
        if isinstance(doc["tags"], list):
            doc["tags"].append(len(doc["tags"]))

    def bump(doc):
        doc["n"] = doc["n"] + 1 if type(doc.get("n")) is int else 0

    def drop_a(doc):
        doc.pop("a", None)

    def to_true(doc):
        # 1 == True in Python; the store must still see this as a change.
        if doc.get("b") == 1:
            doc["b"] = True if type(doc["b"]) is int else 1

    return {"append": append, "bump": bump, "drop_a": drop_a, "to_true": to_true}[name]


def run(table, op):
    try:
        return run_op(table, op)
    except (KeyError, ValueError) as exc:  # stock TinyDB raises on e.g. duplicate ids
        return ("raised", type(exc).__name__)


def run_op(table, op):
    kind, *args = copy.deepcopy(op)
    if kind == "insert":
        return table.insert(args[0])
    if kind == "insert_doc":
        try:
            return table.insert(Document(args[0], doc_id=args[1]))
        except ValueError:
            return "exists"
    if kind == "insert_multiple":
        return table.insert_multiple(args[0])
    if kind == "update_ids":
        return table.update(args[0], doc_ids=args[1])
    if kind == "update_cond":
        return table.update(args[0], condition(args[1]))
    if kind == "mutate_ids":
        return table.update(mutator(args[0]), doc_ids=args[1])
    if kind == "mutate_cond":
        return table.update(mutator(args[0]), condition(args[1]))
    if kind == "remove_ids":
        return table.remove(doc_ids=args[0])
    if kind == "remove_cond":
        return table.remove(condition(args[0]))
    if kind == "upsert":
        return table.upsert(args[0], condition(args[1]))
    if kind == "truncate":
        return table.truncate()
    if kind == "get":
        doc = table.get(doc_id=args[0])
        return None if doc is None else (doc.doc_id, dict(doc))
    return [(d.doc_id, dict(d)) for d in table.search(condition(args[0]))]


def snapshot(table):
    return [(d.doc_id, dict(d)) for d in table.all()], len(table)


class CopyingMemoryStorage(MemoryStorage):
    """Stock TinyDB's memory storage, but a write keeps a copy, as a file storage would.

    Stock ``MemoryStorage`` keeps the very objects it is given: ``update(fields, cond)`` then
    puts one ``fields`` list into every matching document, and appending to one document's
    list changes the others. A file (and our stores, which copy through JSON) never share;
    a deep copy would (it keeps shared objects shared), so the copy goes through JSON."""

    def write(self, data):
        super().write(json.loads(json.dumps(data)))


class StockDB(TinyDB):
    table_class = Table


class CachedDB(TinyDB):
    table_class = CachedTable


@pytest.fixture(scope="module")
def shared_vault(tmp_path_factory):
    base = tmp_path_factory.mktemp("equivalence")
    keystore = FileKeyStore(base / "keystore" / "device-secret")
    vault = Vault.create(base / "vault", PIN, keystore, kdf=KdfParams.FLOOR)
    yield vault
    vault.lock()


_counter = itertools.count()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPS, min_size=1, max_size=25))
def test_cached_table_matches_stock_tinydb(ops, shared_vault, tmp_path_factory):
    sealed_path = tmp_path_factory.getbasetemp() / f"eq-{next(_counter)}.sealed"
    subjects = {
        "stock": StockDB(storage=CopyingMemoryStorage),
        "memory-apply": CachedDB(storage=MemoryLogStorage),
        "memory-fallback": CachedDB(storage=CopyingMemoryStorage),
        "sealed": CachedDB(
            storage=lambda: SealedStorage(sealed_path, shared_vault, compact_min_bytes=600)
        ),
    }
    try:
        for op in ops:
            results = {name: run(db.table("t"), op) for name, db in subjects.items()}
            states = {name: snapshot(db.table("t")) for name, db in subjects.items()}
            for name in subjects:
                assert results[name] == results["stock"], (name, op)
                assert states[name] == states["stock"], (name, op)
        subjects["sealed"].close()
        reopened = CachedDB(storage=lambda: SealedStorage(sealed_path, shared_vault))
        assert snapshot(reopened.table("t")) == snapshot(subjects["stock"].table("t"))
        reopened.close()
    finally:
        subjects["sealed"].close()


@pytest.mark.parametrize(
    ("before", "after"),
    [(1, True), (True, 1), (1, 1.0), (0, False), ([1], [1, 2]), ({"x": 1}, {"x": True})],
)
def test_type_changes_that_compare_equal_are_still_written(before, after):
    subjects = [StockDB(storage=MemoryStorage), CachedDB(storage=MemoryLogStorage)]
    for db in subjects:
        table = db.table("t")
        doc_id = table.insert({"b": copy.deepcopy(before)})

        def set_b(doc, value=after):
            doc["b"] = copy.deepcopy(value)

        assert table.update(set_b, doc_ids=[doc_id]) == [doc_id]
        stored = table.get(doc_id=doc_id)["b"]
        assert stored == after and type(stored) is type(after)


def test_reads_do_not_copy_or_rewrite_the_whole_table():
    db = CachedDB(storage=MemoryLogStorage)
    table = db.table("t")
    table.insert_multiple({"n": i} for i in range(50))
    calls = []
    storage = db.storage
    original = storage.apply
    storage.apply = lambda name, puts, deletes: (calls.append((puts, deletes)),
                                                original(name, puts, deletes))
    live = storage.read()["t"]
    table.update({"n": -1}, doc_ids=[7])
    table.update({"seen": True}, Query().n == 10)
    table.remove(doc_ids=[3])
    assert calls == [({"7": {"n": -1}}, []), ({"11": {"n": 10, "seen": True}}, []), ({}, ["3"])]
    assert storage.read()["t"] is live  # the live table is updated in place, never rebuilt
