"""``ChangeCount.since``: what the table writes after a reader's last look touched, or None
when that can no longer be told (the journal moved past it, or the database was replaced)."""

from __future__ import annotations

from fieldapp.store.changes import ChangeCount, MemoryLogStorage, change_ops


def test_since_lists_the_writes_after_the_reader_oldest_first():
    count = ChangeCount()
    count.count(change_ops("observation", {"1": {}, "2": {}}, []))
    seen = count.written
    count.count(change_ops("settings", {"1": {}}, []))
    count.count(change_ops("observation", {"2": {}}, ["1"]))
    assert count.since(seen) == [("settings", ("1",), False), ("observation", ("2",), True)]
    assert count.since(count.written) == []
    assert count.since(count.written + 1) is None  # a reader from another storage


def test_since_is_none_once_the_journal_moved_past_the_reader():
    count = ChangeCount()
    for i in range(ChangeCount.JOURNAL + 1):
        count.count(change_ops("observation", {str(i): {}}, []))
    assert count.since(0) is None
    assert count.since(1) is not None and len(count.since(1) or []) == ChangeCount.JOURNAL


def test_since_is_none_after_the_whole_database_was_replaced():
    storage = MemoryLogStorage()
    storage.apply("observation", {"1": {"id": "a"}}, [])
    seen = storage.changes.written
    storage.write({"observation": {"1": {"id": "b"}}})
    assert storage.changes.since(seen) is None
    assert storage.changes.since(storage.changes.written) == []
