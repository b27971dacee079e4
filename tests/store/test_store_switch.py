"""A compaction's switch in steps: once the anchor names both files, writes to the old file
keep naming the new one as ``next``, and a crash on either side of the ``os.replace`` opens
with every acknowledged write (the file and anchor of that moment, put back beside it)."""

from __future__ import annotations

import pytest

from fieldapp.store import SealedStorage, StoreDamaged, open_database
from fieldapp.store.compactor import Compacting
from fieldapp.store.frames import HEADER_SIZE, split_frames


def state(db):
    return {d.doc_id: dict(d) for d in db.table("t").all()}


def opened_copy(tmp_path, vault, log: bytes, anchor: bytes) -> dict:
    """The records a copy of ``log`` holds when opened with ``anchor`` (the live logbook's
    anchor is put back afterwards: the copy has the same name, so the same anchor)."""
    path = tmp_path / "crashed" / "logbook.sealed"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(log)
    keystore, name = vault.values.keystore, vault.values.name("anchor", path.name)
    live = keystore.read_value(name)
    keystore.write_value(name, anchor)
    try:
        storage = SealedStorage(path, vault, background=False)
        table = storage.read().get("t", {})
        records = {int(doc_id): dict(doc) for doc_id, doc in table.items()}
        storage.close()
    finally:
        keystore.write_value(name, live)
        path.unlink()
    return records


def twelve_records(data_dir, vault):
    """A logbook of twelve records that compacts only when asked."""
    db = open_database(data_dir, vault, compact_min_bytes=10**9)
    for i in range(12):
        db.table("t").insert({"n": i, "pad": "x" * 40})
    return db


def compact_with(monkeypatch, storage, *, between_steps, switching):
    """Compact ``storage`` calling ``between_steps(storage, new)`` at the second carry (the
    anchor names both files by then) and ``switching(storage, switch)`` in place of step 2,
    where ``switch()`` is the real step."""
    carry, switch = Compacting._carry, Compacting._switch
    carries = []

    def carry_writing(self, new, pause, carried=0):
        carries.append(carried)
        if len(carries) == 2:
            between_steps(self, new)
        return carry(self, new, pause, carried)

    monkeypatch.setattr(Compacting, "_carry", carry_writing)
    monkeypatch.setattr(Compacting, "_switch", lambda self, new, carried: switching(
        self, lambda: switch(self, new, carried)))
    storage.compact()
    monkeypatch.undo()


def test_writes_during_the_switch_survive_a_crash_on_either_side(
        tmp_path, data_dir, vault, monkeypatch):
    db = twelve_records(data_dir, vault)
    table, storage = db.table("t"), db.storage
    keystore, name = vault.values.keystore, storage.anchor_name
    seen: dict[str, object] = {}

    def between_steps(self, new):
        table.insert({"n": 100, "pad": "during"})
        table.update({"pad": ""}, doc_ids=[1])
        seen["pending"], seen["new_id"] = self._anchor.pending, new.header.file_id

    def switch_checked(self, switch):
        table.insert({"n": 101, "pad": "last"})  # carried under the lock (the same thread)
        before = (self.path.read_bytes(), keystore.read_value(name), state(db))
        old_fd = switch()
        after = (self.path.read_bytes(), keystore.read_value(name), state(db))
        for log, anchor, acked in (before, after):
            assert opened_copy(tmp_path, vault, log, anchor) == acked
        seen["checked"] = True
        return old_fd

    compact_with(monkeypatch, storage, between_steps=between_steps, switching=switch_checked)
    pending = seen["pending"]
    assert seen["checked"] and pending is not None and pending.file_id == seen["new_id"]
    assert storage.compactions == 1 and storage._anchor.pending is None
    final = state(db)
    assert {100, 101} <= {d["n"] for d in final.values()} and final[1]["pad"] == ""
    db.close()
    db = open_database(data_dir, vault)
    assert state(db) == final
    db.close()


def test_a_new_file_cut_back_to_what_step_1_named_is_refused(
        tmp_path, data_dir, vault, monkeypatch):
    """Writes acknowledged between step 1 and the replace are carried into the new file; a
    crash right after the replace leaves the anchor as the switch wrote it, and a copy of the
    new file cut back to the frames step 1 named must not open as if nothing were missing."""
    db = twelve_records(data_dir, vault)
    table, storage = db.table("t"), db.storage
    keystore, name = vault.values.keystore, storage.anchor_name
    seen: dict[str, object] = {}

    def between_steps(self, new):  # the anchor names the new file at step 1's count
        seen["step_1"] = self._anchor.pending
        table.insert({"n": 100, "pad": "acknowledged between step 1 and the replace"})

    def switch_kept(self, switch):
        old_fd = switch()
        seen["log"], seen["anchor"] = self.path.read_bytes(), keystore.read_value(name)
        return old_fd

    compact_with(monkeypatch, storage, between_steps=between_steps, switching=switch_kept)
    log, anchor, step_1 = seen["log"], seen["anchor"], seen["step_1"]
    spans, _ = split_frames(log, HEADER_SIZE)
    assert step_1 is not None and len(spans) > step_1.count  # frames were carried after it
    assert {d["n"] for d in opened_copy(tmp_path, vault, log, anchor).values()} >= {100}
    cut = log[:spans[step_1.count - 1].end]
    with pytest.raises(StoreDamaged):
        opened_copy(tmp_path, vault, cut, anchor)
    db.close()
