"""Key-store values in files overwritten in place (fieldapp.store.value_file): a write cut
short anywhere leaves the value before it, damage is said plainly, files of the old format
still read and are converted by the next write, and a kill -9 loses no acknowledged value."""

from __future__ import annotations

import os
import random
import stat
import subprocess
import sys
import time

import pytest

from fieldapp.store import FileKeyStore, StoreDamaged
from fieldapp.store.value_file import BLOCK, MAGIC, _slot


@pytest.fixture
def store(tmp_path):
    return FileKeyStore(tmp_path / "ks" / "device-secret")


def value_path(store, name="pk-test.anchor"):
    return store.path.parent / name


def test_writes_alternate_between_two_slots_in_one_private_file(store):
    path = value_path(store)
    store.write_value(path.name, b"first")
    inode = path.stat().st_ino
    assert path.stat().st_size == 2 * BLOCK
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for i in range(50):
        store.write_value(path.name, f"value {i}".encode())
        assert store.read_value(path.name) == f"value {i}".encode()
    assert path.stat().st_ino == inode  # overwritten in place, never replaced
    assert path.stat().st_size == 2 * BLOCK
    assert FileKeyStore(store.path).read_value(path.name) == b"value 49"  # a new reader
    data = path.read_bytes()
    assert data[:4] == MAGIC and data[BLOCK : BLOCK + 4] == MAGIC


@pytest.mark.parametrize("cut", [0, 1, 4, 12, 16, 47, 48, 49, 60])
def test_a_write_cut_short_reads_as_the_value_before_it(store, cut):
    path = value_path(store)
    for value in (b"one", b"two", b"three"):  # "three" is in slot 0, "two" in slot 1
        store.write_value(path.name, value)
    before = path.read_bytes()
    # the next write goes to slot 1 with sequence 4; it stopped after `cut` bytes
    torn = _slot(4, b"four, never acknowledged")[:cut]
    path.write_bytes(before[:BLOCK] + torn + before[BLOCK + cut :])
    assert store.read_value(path.name) == b"three"
    store.write_value(path.name, b"four")  # and the next write goes on from there
    assert store.read_value(path.name) == b"four"


def test_a_slot_flipped_anywhere_is_skipped_for_the_other(store):
    path = value_path(store)
    store.write_value(path.name, b"older")
    store.write_value(path.name, b"newer")  # slot 1
    good = path.read_bytes()
    rng = random.Random(7)
    for offset in [BLOCK + i for i in range(0, 48 + len(b"newer"))] + [rng.randrange(BLOCK)]:
        damaged = bytearray(good)
        damaged[offset] ^= 0x01
        path.write_bytes(bytes(damaged))
        expected = b"older" if offset >= BLOCK else b"newer"
        assert store.read_value(path.name) == expected, offset


@pytest.mark.parametrize("damage", ["both slots", "cut to one block", "zeros after the mark"])
def test_a_file_with_no_whole_slot_is_damage_not_a_value(store, damage):
    path = value_path(store)
    store.write_value(path.name, b"older")
    store.write_value(path.name, b"newer")
    data = bytearray(path.read_bytes())
    if damage == "both slots":
        data[50] ^= 1  # inside each value
        data[BLOCK + 50] ^= 1
    elif damage == "cut to one block":
        data = data[:BLOCK]
    else:
        data = bytearray(MAGIC + bytes(2 * BLOCK - 4))
    path.write_bytes(bytes(data))
    with pytest.raises(StoreDamaged) as caught:
        store.read_value(path.name)
    assert caught.value.reason == "bad_key_store_value"


def test_a_file_of_the_old_format_reads_and_the_next_write_converts_it(store):
    path = value_path(store)
    path.parent.mkdir(mode=0o700, parents=True)
    path.write_bytes(b"PKV1 written before slots")
    assert store.read_value(path.name) == b"PKV1 written before slots"
    store.write_value(path.name, b"after")
    assert path.stat().st_size == 2 * BLOCK
    assert store.read_value(path.name) == b"after"
    assert not [p.name for p in path.parent.iterdir() if ".tmp-" in p.name]


def test_a_value_longer_than_its_slot_grows_the_file_and_keeps_counting(store):
    path = value_path(store)
    store.write_value(path.name, b"small")
    long_value = os.urandom(3 * BLOCK)
    store.write_value(path.name, long_value)
    assert store.read_value(path.name) == long_value
    assert path.stat().st_size == 2 * 4 * BLOCK
    inode = path.stat().st_ino
    store.write_value(path.name, b"small again")  # in place in the larger file
    assert store.read_value(path.name) == b"small again"
    assert path.stat().st_ino == inode
    slots = path.read_bytes()
    assert int.from_bytes(slots[4:12], "big") == 2  # the long value's slot: after 1
    assert int.from_bytes(slots[4 * BLOCK + 4 : 4 * BLOCK + 12], "big") == 3


WRITER = """
import sys
from fieldapp.store import FileKeyStore
store = FileKeyStore(sys.argv[1])
i = int(sys.argv[2])
while True:
    print("TRY", i, flush=True)
    store.write_value("pk-kill.anchor", str(i).encode() * (1 + i % 300))
    print("ACK", i, flush=True)
    i += 1
"""


@pytest.mark.slow
def test_kill_9_while_writing_loses_no_acknowledged_value(store):
    rng, start, in_flight, acked_total = random.Random(20261202), 0, 0, 0
    for _trial in range(30):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(store.path), str(start)],
                                stdout=subprocess.PIPE, cwd=os.getcwd())
        assert proc.stdout is not None
        first = proc.stdout.readline()  # "TRY <start>": the writer is writing
        time.sleep(rng.uniform(0.0, 0.05))
        proc.kill()
        proc.wait(timeout=10)
        lines = (first + proc.stdout.read()).decode().split("\n")[:-1]
        proc.stdout.close()
        acked = [int(w.split()[1]) for w in lines if w.startswith("ACK")]
        tried = [int(w.split()[1]) for w in lines if w.startswith("TRY")]
        last = acked[-1] if acked else start - 1
        acked_total += len(acked)
        value = store.read_value("pk-kill.anchor")
        allowed = {None if i < 0 else str(i).encode() * (1 + i % 300)  # -1: none yet
                   for i in {last, max(tried, default=last)}}
        assert value in allowed
        in_flight += tried and tried[-1] != last
        start = max(tried, default=start) + 1
    assert in_flight >= 5, "kills did not land during writes"
    assert acked_total > 100, "the writer hardly wrote anything"


def test_a_commit_anchor_cut_short_after_its_frame_opens_with_that_write(tmp_path, vault):
    """The frame is fdatasynced before the anchor is written: a crash inside the anchor's
    slot leaves the log one write ahead of the anchor, which opens with that write and moves
    the anchor up to it."""
    from tinydb import TinyDB

    from fieldapp.store import CachedTable, SealedStorage

    class DB(TinyDB):
        table_class = CachedTable

    path = tmp_path / "log.sealed"
    db = DB(storage=lambda: SealedStorage(path, vault, compact_min_bytes=10**9))
    for i in range(5):
        db.table("t").insert({"n": i})
    anchor = vault.values.keystore.path.parent / db.storage.anchor_name
    db.close()

    def anchored() -> int:
        return vault.values.read("anchor", path.name)["file"]["count"]

    acknowledged = anchored()
    data = bytearray(anchor.read_bytes())
    newest = max((0, BLOCK), key=lambda at: int.from_bytes(data[at + 4 : at + 12], "big"))
    data[newest + 60] ^= 0xFF  # inside the newest anchor's value: it was never whole
    anchor.write_bytes(bytes(data))
    assert anchored() == acknowledged - 1  # the slot before: the last write not in it
    db = DB(storage=lambda: SealedStorage(path, vault, compact_min_bytes=10**9))
    assert [d["n"] for d in db.table("t").all()] == [0, 1, 2, 3, 4]
    db.close()
    assert anchored() == acknowledged  # moved up to the log again
