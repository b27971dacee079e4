"""Compaction on a background thread: writes go on (and are acknowledged) while the new file is
written, are carried into it, and a compaction that fails or is cut short leaves the old log."""

from __future__ import annotations

import threading

import pytest

from fieldapp.store import Vault, open_database
from fieldapp.store.snapshot_file import NewLog
from tests.support.pins import PIN


@pytest.fixture(params=["after the snapshot", "after the tail so far"])
def held(request, monkeypatch):
    """Holds the compaction (after its snapshot is written, or after the frames written
    meanwhile were carried over outside the lock) until ``release`` is set."""
    reached, release = threading.Event(), threading.Event()
    name = "write_snapshot" if request.param == "after the snapshot" else "sync"
    original = getattr(NewLog, name)

    def hold(self, *args):
        original(self, *args)
        if not reached.is_set():
            reached.set()
            assert release.wait(10)

    monkeypatch.setattr(NewLog, name, hold)
    return reached, release


def state(db):
    return {d.doc_id: dict(d) for d in db.table("t").all()}


def fill(db, n=20):
    for i in range(n):
        db.table("t").insert({"id": f"r{i}", "note": "Møte " * i})


def start_compaction(db):
    db.storage.compact_min_bytes, db.storage.compact_ratio = 0, 0.0
    db.table("t").insert({"id": "trigger"})


def test_writes_during_a_compaction_are_acknowledged_and_carried_over(
        data_dir, vault, keystore, held):
    reached, release = held
    db = open_database(data_dir, vault, compact_min_bytes=10**9)
    fill(db)
    start_compaction(db)
    assert reached.wait(10)
    db.storage.compact_min_bytes = 10**9
    size_before = db.storage.file_size
    db.table("t").insert({"id": "during", "note": "written while the snapshot was"})
    db.table("t").update({"note": "shorter"}, doc_ids=[3])
    db.table("t").remove(doc_ids=[5, 6])
    assert db.storage.file_size > size_before, "appended to the old log meanwhile"
    assert db.storage.compactions == 0 and vault.generations == (1, 2)
    release.set()
    db.storage.wait_for_compaction()
    assert db.storage.compactions == 1 and vault.generations == (2,)
    assert db.storage.generation == 2
    expected = state(db)
    assert expected[3]["note"] == "shorter" and 5 not in expected and len(expected) == 20
    db.table("t").insert({"id": "after"})
    expected = state(db)
    db.close()
    reopened = Vault.unlock(data_dir, PIN, keystore)
    db = open_database(data_dir, reopened)
    assert state(db) == expected and reopened.generations == (2,)
    db.close()


def test_closing_during_a_compaction_keeps_the_old_log(data_dir, vault, keystore, held):
    reached, release = held
    db = open_database(data_dir, vault, compact_min_bytes=10**9)
    fill(db)
    start_compaction(db)
    assert reached.wait(10)
    db.storage.compact_min_bytes = 10**9
    db.table("t").insert({"id": "last"})
    expected = state(db)
    closing = threading.Thread(target=db.close)
    closing.start()
    while not db.storage._gate.cancelled:  # close() has asked the compaction to stop
        closing.join(0.01)
    release.set()
    closing.join(10)
    assert not closing.is_alive() and db.storage.compactions == 0
    assert not [p for p in data_dir.iterdir() if ".tmp-" in p.name]
    reopened = Vault.unlock(data_dir, PIN, keystore)
    db = open_database(data_dir, reopened)
    assert state(db) == expected and reopened.generations == (1,)
    assert db.storage.generation == 1
    db.close()


def test_a_failed_background_compaction_changes_nothing_and_is_tried_again(
        data_dir, vault, keystore, monkeypatch):
    calls = []
    original = NewLog.sync

    def failing_sync(self):
        calls.append(1)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        original(self)

    monkeypatch.setattr(NewLog, "sync", failing_sync)
    db = open_database(data_dir, vault, compact_min_bytes=2048)
    for i in range(200):
        db.table("t").insert({"id": f"r{i}", "pad": "x" * 50})
        if i % 10 == 0:
            db.storage.wait_for_compaction()
    db.storage.wait_for_compaction()
    assert db.storage.compaction_failures == 1 and db.storage.compactions >= 1
    assert len(vault.generations) == 1
    expected = state(db)
    assert len(expected) == 200
    db.close()
    assert not [p for p in data_dir.iterdir() if ".tmp-" in p.name]
    db = open_database(data_dir, Vault.unlock(data_dir, PIN, keystore))
    assert state(db) == expected
    db.close()


def test_compact_waits_for_a_running_compaction_and_then_rotates_again(
        data_dir, vault, held):
    reached, release = held
    db = open_database(data_dir, vault, compact_min_bytes=10**9)
    fill(db)
    start_compaction(db)
    assert reached.wait(10)
    db.storage.compact_min_bytes = 10**9
    db.table("t").update({"note": "purged"}, doc_ids=[4])
    done = threading.Event()
    explicit = threading.Thread(target=lambda: (db.compact(), done.set()))
    explicit.start()
    assert not done.wait(0.2), "compact() returned while an older picture was being written"
    release.set()
    explicit.join(10)
    assert done.is_set() and db.storage.compactions == 2 and vault.generations == (3,)
    assert db.table("t").get(doc_id=4)["note"] == "purged"
    db.close()


def test_many_small_frames_after_the_snapshot_start_a_compaction(data_dir, vault):
    """Opening replays every frame after the snapshot one by one: their number is bounded
    even when their bytes are few next to a large snapshot."""
    db = open_database(data_dir, vault, compact_min_bytes=10**9)
    already = db.storage.frame_count - 1  # the migrations' writes after the first snapshot
    db.storage.compact_min_bytes, db.storage.compact_ratio = 1, 1000.0
    db.storage.compact_frames = already + 10
    for i in range(10):
        db.table("t").insert({"id": f"r{i}"})
    db.storage.wait_for_compaction()
    assert db.storage.compactions == 0
    db.table("t").insert({"id": "r10"})
    db.storage.wait_for_compaction()
    assert db.storage.compactions == 1 and db.storage.frame_count <= 2
    db.storage.compact_frames = 10
    db.storage.write({"t": {"1": {"id": "whole"}}})  # a whole-database write starts anew
    for i in range(10):
        db.table("t").insert({"id": f"s{i}"})
    db.storage.wait_for_compaction()
    assert db.storage.compactions == 1
    db.close()
