"""Torn tails are cut off and kept aside; every other kind of damage is refused untouched."""

from __future__ import annotations

import os
import shutil

import pytest
from tinydb import TinyDB

from fieldapp.store import CachedTable, SealedStorage, StoreDamaged
from fieldapp.store.frames import HEADER_SIZE, split_frames
from tests.store.store_support import sha256_of


class DB(TinyDB):
    table_class = CachedTable


@pytest.fixture(autouse=True, params=["one window", "37-byte windows"])
def window(request, monkeypatch):
    """The log is read in windows; with tiny ones every frame crosses a window's end."""
    if request.param != "one window":
        monkeypatch.setattr("fieldapp.store.replay.WINDOW", 37)


def open_db(path, vault):
    return DB(storage=lambda: SealedStorage(path, vault, compact_min_bytes=10**9))


def state(db):
    return {d.doc_id: dict(d) for d in db.table("t").all()}


@pytest.fixture
def history(tmp_path, vault):
    """A log of several acknowledged writes (growing and shrinking) with the state, the file
    size and the commit anchor (key-store bytes) after each of them."""
    path = tmp_path / "original.sealed"
    db = open_db(path, vault)
    table = db.table("t")
    steps = [
        lambda: table.insert({"name": "first", "pad": "x" * 40}),
        lambda: table.insert({"name": "second"}),
        lambda: table.update({"pad": "y"}, doc_ids=[1]),
        lambda: table.insert({"name": "third", "list": [1, 2, 3]}),
        lambda: table.remove(doc_ids=[2]),
        lambda: table.update({"name": "renamed"}, doc_ids=[3]),
        lambda: table.insert({"name": "fourth"}),
    ]
    keystore, anchor_name = vault.values.keystore, db.storage.anchor_name
    sizes, states = [db.storage.file_size], [state(db)]
    anchors = [keystore.read_value(anchor_name)]
    for step in steps:
        step()
        sizes.append(db.storage.file_size)
        states.append(state(db))
        anchors.append(keystore.read_value(anchor_name))
    db.close()
    return path, sizes, states, anchors


def torn_files(path):
    return sorted(path.parent.glob(path.name + ".torn-*"))


def test_truncation_at_every_offset_of_the_last_two_frames(tmp_path, vault, history):
    """A crash while write k+1 was in flight (the anchor still at write k): the torn frame is
    set aside and exactly the acknowledged state comes back."""
    original, sizes, states, anchors = history
    data = original.read_bytes()
    assert len(data) == sizes[-1]
    cut_path = tmp_path / "cut" / original.name  # same name: the same commit anchor
    cut_path.parent.mkdir()
    keystore = vault.values.keystore
    for cut in range(sizes[-3], sizes[-1]):
        cut_path.write_bytes(data[:cut])
        acked = max(k for k, size in enumerate(sizes) if size <= cut)
        keystore.write_value(open_db_anchor_name(vault, cut_path), anchors[acked])
        db = open_db(cut_path, vault)
        assert state(db) == states[acked], cut
        assert cut_path.stat().st_size == sizes[acked]
        aside = torn_files(cut_path)
        if cut == sizes[acked]:
            assert aside == []
        else:
            assert len(aside) == 1 and aside[0].read_bytes() == data[sizes[acked] : cut]
        # The recovered log takes new writes and reads them back.
        db.table("t").insert({"name": "after"})
        db.close()
        db = open_db(cut_path, vault)
        assert len(db.table("t")) == len(states[acked]) + 1
        db.close()
        for leftover in aside:
            leftover.unlink()


def open_db_anchor_name(vault, path):
    return vault.values.name("anchor", path.name)


def flip_offsets(data):
    spans, torn = split_frames(data, HEADER_SIZE)
    assert torn is None and len(spans) >= 5
    offsets = list(range(HEADER_SIZE))
    for span in (spans[0], spans[len(spans) // 2], spans[-2], spans[-1]):
        body = span.start + 8
        offsets += list(range(span.start, body + 1))  # length, length check, kind
        offsets += [body + 1, body + 6, body + 12]  # nonce
        offsets += [body + 13, (body + span.end) // 2]  # ciphertext
        offsets += list(range(span.end - 20, span.end))  # tag and CRC
    return sorted(set(offsets))


def test_bit_flips_anywhere_are_refused_and_the_file_is_left_alone(tmp_path, vault, history):
    original, _sizes, _states, _anchors = history
    data = original.read_bytes()
    target = tmp_path / "flip" / "logbook.sealed"
    target.parent.mkdir()
    reasons = set()
    offsets = flip_offsets(data)
    assert len(offsets) > 150
    for index, offset in enumerate(offsets):
        damaged = bytearray(data)
        damaged[offset] ^= 1 << (index % 8)
        target.write_bytes(bytes(damaged))
        before = sha256_of(target)
        with pytest.raises(StoreDamaged) as caught:
            open_db(target, vault)
        reasons.add(caught.value.reason)
        assert sha256_of(target) == before, offset
        assert torn_files(target) == []
        assert "name" not in str(caught.value)
    assert {"bad_header", "bad_length", "bad_crc"} <= reasons


def frame_bytes(data):
    spans, _torn = split_frames(data, HEADER_SIZE)
    return data[:HEADER_SIZE], [data[s.start : s.end] for s in spans]


@pytest.mark.parametrize(
    ("name", "rearrange", "reason"),
    [
        ("swap middle", lambda f: f[:2] + [f[3], f[2]] + f[4:], "sequence_gap"),
        ("remove middle", lambda f: f[:3] + f[4:], "sequence_gap"),
        ("repeat a frame", lambda f: f[:3] + [f[2]] + f[3:], "sequence_gap"),
        ("snapshot not first", lambda f: [f[1], f[0]] + f[2:], "no_snapshot"),
        ("only the header", lambda f: [], "no_snapshot"),
    ],
)
def test_reordered_or_missing_frames_are_refused(tmp_path, vault, history, name, rearrange,
                                                 reason):
    original, _sizes, _states, _anchors = history
    header, frames = frame_bytes(original.read_bytes())
    target = tmp_path / "moved.sealed"
    target.write_bytes(header + b"".join(rearrange(frames)))
    before = sha256_of(target)
    with pytest.raises(StoreDamaged) as caught:
        open_db(target, vault)
    assert caught.value.reason == reason, name
    assert sha256_of(target) == before


def test_frame_from_another_log_with_the_same_key_is_refused(tmp_path, vault, history):
    original, _sizes, _states, _anchors = history
    other_path = tmp_path / "other.sealed"
    db = open_db(other_path, vault)
    db.table("t").insert({"name": "other"})
    db.close()
    header, frames = frame_bytes(original.read_bytes())
    _other_header, other_frames = frame_bytes(other_path.read_bytes())
    target = tmp_path / "spliced.sealed"
    target.write_bytes(header + b"".join(frames[:2] + [other_frames[1]] + frames[3:]))
    with pytest.raises(StoreDamaged) as caught:
        open_db(target, vault)
    assert caught.value.reason == "bad_tag"


def test_a_torn_first_frame_is_damage_not_a_tear(tmp_path, vault, history):
    original, sizes, _states, _anchors = history
    target = tmp_path / "short.sealed"
    target.write_bytes(original.read_bytes()[: sizes[0] - 3])
    with pytest.raises(StoreDamaged):
        open_db(target, vault)
    assert target.stat().st_size == sizes[0] - 3


def test_zero_filled_tail_counts_as_unacknowledged(tmp_path, vault, history):
    original, sizes, states, _anchors = history
    data = original.read_bytes()
    target = tmp_path / "zeros.sealed"
    target.write_bytes(data + bytes(300))
    db = open_db(target, vault)
    assert state(db) == states[-1]
    db.close()
    assert target.read_bytes() == data
    assert torn_files(target)[0].read_bytes() == bytes(300)
    # Zeros in the middle, with frames after them, are damage.
    target.write_bytes(data[: sizes[3]] + bytes(sizes[4] - sizes[3]) + data[sizes[4] :])
    with pytest.raises(StoreDamaged):
        open_db(target, vault)


def test_header_from_another_generation_is_refused(tmp_path, vault, history):
    original, _sizes, _states, _anchors = history
    copy = tmp_path / "copy.sealed"
    shutil.copy(original, copy)
    db = open_db(original, vault)
    db.storage.compact()  # generation 1 is dropped from the vault
    db.close()
    before = sha256_of(copy)
    with pytest.raises(StoreDamaged) as caught:
        open_db(copy, vault)
    assert caught.value.reason == "unknown_generation"
    assert sha256_of(copy) == before
    assert os.path.getsize(copy) > 0
