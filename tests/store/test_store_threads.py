"""Flet runs handlers in threads: concurrent writes and reads through one database."""

from __future__ import annotations

import threading

import pytest
from tinydb import Query

from fieldapp.store import MemoryDatabase, Vault, open_database
from tests.support.pins import PIN

pytestmark = pytest.mark.slow

THREADS = 6
PER_THREAD = 60


def hammer(db):
    errors = []
    start = threading.Barrier(THREADS + 2)

    def writer(worker):
        try:
            start.wait()
            table = db.table("cases")
            for i in range(PER_THREAD):
                doc_id = table.insert({"worker": worker, "i": i, "pad": "z" * (i % 7) * 50})
                if i % 4 == 0:
                    table.update({"touched": True}, doc_ids=[doc_id])
                if i % 9 == 0:
                    table.insert({"worker": worker, "i": -i, "gone": True})
            table.remove(Query().gone == True)  # noqa: E712
        except Exception as exc:  # reported below, with the thread's traceback lost
            errors.append(repr(exc))

    def reader():
        try:
            start.wait()
            table = db.table("cases")
            for _ in range(200):
                table.search(Query().touched == True)  # noqa: E712
                table.all()
                len(table)
                table.get(doc_id=1)
        except Exception as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(THREADS)]
    threads += [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []


def expected_pairs():
    return {(w, i) for w in range(THREADS) for i in range(PER_THREAD)}


def test_concurrent_inserts_are_all_there_after_reopen(data_dir, keystore, vault):
    db = open_database(data_dir, vault, compact_min_bytes=16 * 1024)
    hammer(db)
    db.storage.wait_for_compaction()
    assert db.storage.compactions > 0
    db.close()
    reopened_vault = Vault.unlock(data_dir, PIN, keystore)
    db = open_database(data_dir, reopened_vault)
    docs = db.table("cases").all()
    assert {(d["worker"], d["i"]) for d in docs} == expected_pairs()
    assert len(docs) == THREADS * PER_THREAD
    assert len({d.doc_id for d in docs}) == len(docs)
    assert sum(1 for d in docs if d.get("touched")) == THREADS * len(range(0, PER_THREAD, 4))
    db.close()


def test_concurrent_use_of_the_memory_database():
    db = MemoryDatabase()
    hammer(db)
    assert {(d["worker"], d["i"]) for d in db.table("cases").all()} == expected_pairs()
