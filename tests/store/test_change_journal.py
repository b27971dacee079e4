"""``ChangeCount.put_since``: the documents the table writes after a reader's last look put,
or None when that can no longer be told that way (a deletion, the journal moved past the
reader, or the database was replaced)."""

from __future__ import annotations

from fieldapp.store.changes import ChangeCount, MemoryLogStorage, change_ops

RECORDS = ("observation", "school_visit")


def test_put_since_lists_each_document_once_oldest_first_in_the_tables_asked_for():
    count = ChangeCount()
    count.count(change_ops("observation", {"1": {}, "2": {}}, []))
    seen = count.written
    count.count(change_ops("settings", {"1": {}}, ["x"]))  # another table: not asked for
    count.count(change_ops("school_visit", {"7": {}}, []))
    count.count(change_ops("observation", {"2": {}, "3": {}}, []))
    count.count(change_ops("school_visit", {"7": {}}, []))
    assert count.put_since(seen, RECORDS) == [
        ("school_visit", "7"), ("observation", "2"), ("observation", "3")]
    assert count.put_since(count.written, RECORDS) == []
    assert count.put_since(count.written + 1, RECORDS) is None  # a reader from elsewhere


def test_a_deletion_in_the_tables_asked_for_cannot_be_caught_up_on():
    count = ChangeCount()
    count.count(change_ops("observation", {"1": {}}, []))
    count.count(change_ops("observation", {}, ["1"]))
    assert count.put_since(0, RECORDS) is None
    assert count.put_since(0, ("settings",)) == []


def test_put_since_is_none_once_the_journal_moved_past_the_reader():
    count = ChangeCount()
    for i in range(ChangeCount.JOURNAL + 1):
        count.count(change_ops("observation", {str(i): {}}, []))
    assert count.put_since(0, RECORDS) is None
    assert len(count.put_since(1, RECORDS) or []) == ChangeCount.JOURNAL


def test_put_since_is_none_after_the_whole_database_was_replaced():
    storage = MemoryLogStorage()
    storage.apply("observation", {"1": {"id": "a"}}, [])
    seen = storage.changes.written
    storage.write({"observation": {"1": {"id": "b"}}})
    assert storage.changes.put_since(seen, RECORDS) is None
    assert storage.changes.put_since(storage.changes.written, RECORDS) == []
