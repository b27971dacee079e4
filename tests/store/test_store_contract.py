"""One storage contract, run over the in-memory and the sealed database."""

from __future__ import annotations

import pytest
from tinydb import Query
from tinydb.table import Document

from fieldapp.store import (
    MemoryDatabase,
    SealedStorage,
    StoreError,
    Vault,
    VaultLocked,
    open_database,
    schema_version,
)
from fieldapp.store.migrations import applied_migrations, apply_migrations
from tests.support.pins import PIN


class Backend:
    """Opens the database under test; ``reopen`` is the identity for memory."""

    def __init__(self, kind, data_dir, keystore):
        self.kind, self.data_dir, self.keystore = kind, data_dir, keystore
        self.vault = None
        self.db = None

    def open(self):
        if self.kind == "memory":
            self.db = MemoryDatabase()
        else:
            from fieldapp.store import KdfParams

            if self.vault is None:
                self.vault = Vault.create(self.data_dir, PIN, self.keystore, kdf=KdfParams.FLOOR)
            self.db = open_database(self.data_dir, self.vault)
        return self.db

    def reopen(self):
        if self.kind == "memory":
            return self.db
        self.db.close()
        self.vault.lock()
        self.vault = Vault.unlock(self.data_dir, PIN, self.keystore)
        self.db = open_database(self.data_dir, self.vault)
        return self.db

    def close(self):
        if self.db is not None:
            self.db.close()
        if self.vault is not None:
            self.vault.lock()


@pytest.fixture(params=["memory", "sealed"])
def backend(request, data_dir, keystore):
    backend = Backend(request.param, data_dir, keystore)
    backend.open()
    yield backend
    backend.close()


def test_insert_get_all(backend):
    table = backend.db.table("cases")
    first = table.insert({"name": "A", "tags": ["x"], "n": 1})
    second = table.insert({"name": "B", "tags": [], "n": 2.5, "ok": True, "none": None})
    assert (first, second) == (1, 2)
    assert table.get(doc_id=first) == {"name": "A", "tags": ["x"], "n": 1}
    assert table.get(doc_id=99) is None
    assert [d.doc_id for d in table.all()] == [1, 2]
    db = backend.reopen()
    table = db.table("cases")
    assert table.get(doc_id=second) == {"name": "B", "tags": [], "n": 2.5, "ok": True,
                                        "none": None}
    assert len(table) == 2
    assert table.insert({"name": "C"}) == 3


def test_update_and_remove_by_id_and_query(backend):
    table = backend.db.table("cases")
    ids = table.insert_multiple({"name": f"n{i}", "n": i} for i in range(6))
    assert table.update({"n": 100}, doc_ids=[ids[1], 999]) == [ids[1]]
    assert table.update({"flag": True}, Query().n < 3) == [ids[0], ids[2]]
    assert table.remove(doc_ids=[ids[3]]) == [ids[3]]
    assert table.remove(Query().n == 5) == [ids[5]]
    table.update(lambda doc: doc.setdefault("list", []).append(1), doc_ids=[ids[4]])
    expected = {
        ids[0]: {"name": "n0", "n": 0, "flag": True},
        ids[1]: {"name": "n1", "n": 100},
        ids[2]: {"name": "n2", "n": 2, "flag": True},
        ids[4]: {"name": "n4", "n": 4, "list": [1]},
    }
    for reopen in (False, True):
        table = (backend.reopen() if reopen else backend.db).table("cases")
        assert {d.doc_id: dict(d) for d in table.all()} == expected
        assert [d.doc_id for d in table.search(Query().flag.exists())] == [ids[0], ids[2]]
        assert table.count(Query().n > 1) == 3
        assert table.contains(doc_id=ids[4]) and not table.contains(doc_id=ids[3])


def test_upsert_truncate_and_drop(backend):
    db = backend.db
    table = db.table("settings")
    table.upsert({"key": "lang", "value": "nb"}, Query().key == "lang")
    table.upsert({"key": "lang", "value": "en"}, Query().key == "lang")
    table.upsert(Document({"key": "k2"}, doc_id=10))
    assert [dict(d) for d in table.all()] == [{"key": "lang", "value": "en"}, {"key": "k2"}]
    other = db.table("other")
    other.insert({"a": 1})
    other.truncate()
    assert other.all() == []
    db.drop_table("settings")
    db = backend.reopen()
    assert "settings" not in db.tables()
    assert "other" in db.tables()
    assert db.table("settings").all() == []


def test_writes_keep_no_reference_to_caller_objects(backend):
    table = backend.db.table("cases")
    doc = {"tags": ["a"], "inner": {"k": 1}}
    doc_id = table.insert(doc)
    doc["tags"].append("b")
    doc["inner"]["k"] = 2
    assert table.get(doc_id=doc_id) == {"tags": ["a"], "inner": {"k": 1}}


def test_failed_updater_changes_nothing(backend):
    table = backend.db.table("cases")
    doc_id = table.insert({"n": 1, "list": [1]})

    def broken(doc):
        doc["list"].append(2)
        doc["n"] = 2
        raise RuntimeError("updater failed")

    with pytest.raises(RuntimeError):
        table.update(broken, doc_ids=[doc_id])
    assert table.get(doc_id=doc_id) == {"n": 1, "list": [1]}
    assert backend.reopen().table("cases").get(doc_id=doc_id) == {"n": 1, "list": [1]}


def test_migrations_are_recorded_once(backend):
    db = backend.db
    assert schema_version(db) == 1
    assert applied_migrations(db) == ["0001_initial"]
    assert apply_migrations(db) == []
    db = backend.reopen()
    assert applied_migrations(db) == ["0001_initial"]

    calls = []

    def add_field(database):
        calls.append(1)
        database.table("_meta").upsert({"kind": "schema", "version": 2},
                                       Query().kind == "schema")

    steps = [*__import__("fieldapp.store.migrations", fromlist=["x"]).MIGRATIONS,
             ("0002_add_field", add_field)]
    assert apply_migrations(db, steps) == ["0002_add_field"]
    assert apply_migrations(db, steps) == []
    assert calls == [1] and schema_version(db) == 2
    meta = db.table("_meta").search(Query().kind == "migration")
    assert [m["name"] for m in meta] == ["0001_initial", "0002_add_field"]
    assert all(m["applied_at"].endswith("+00:00") for m in meta)
    with pytest.raises(ValueError):
        apply_migrations(db, list(reversed(steps)))


def test_sealed_storage_refuses_use_after_close_and_lock(data_dir, vault):
    db = open_database(data_dir, vault)
    storage = db.storage
    assert isinstance(storage, SealedStorage)
    db.table("t").insert({"a": 1})
    vault.lock()
    with pytest.raises(VaultLocked):
        db.table("t").all()
    with pytest.raises(VaultLocked):
        db.table("t").insert({"a": 2})
    db.close()
    with pytest.raises(StoreError):
        storage.read()


def test_second_open_of_the_same_log_is_refused(data_dir, vault):
    from fieldapp.store import LogbookBusy

    db = open_database(data_dir, vault)
    in_progress = data_dir / ".logbook.sealed.tmp-inprogress"
    in_progress.write_bytes(b"the first opener's compaction")
    with pytest.raises(LogbookBusy):
        open_database(data_dir, vault)
    assert in_progress.exists()  # the refused opener left the other's files alone
    db.close()
    open_database(data_dir, vault).close()
    assert not in_progress.exists()
