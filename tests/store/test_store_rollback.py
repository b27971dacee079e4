"""A shorter or older log is not a torn tail: the commit anchor in the key store refuses it."""

from __future__ import annotations

import random
import shutil

import pytest

from fieldapp.store import KdfParams, StoreDamaged, Vault, open_database
from fieldapp.store.frames import HEADER_SIZE
from tests.store.store_support import sha256_of
from tests.support.pins import PIN


def state(db):
    return {d.doc_id: dict(d) for d in db.table("t").all()}


@pytest.fixture
def written(data_dir, vault):
    """27 acknowledged records, some updated or deleted; the log's size after each write."""
    db = open_database(data_dir, vault, compact_min_bytes=10**9)
    table, sizes = db.table("t"), [db.storage.file_size]
    for i in range(27):
        table.insert({"n": i, "pad": "x" * (i * 7 % 90)})
        sizes.append(db.storage.file_size)
        if i % 5 == 4:
            table.update({"pad": ""}, doc_ids=[i])
            sizes.append(db.storage.file_size)
        if i % 9 == 8:
            table.remove(doc_ids=[i - 3])
            sizes.append(db.storage.file_size)
    final = state(db)
    db.close()
    return data_dir / "logbook.sealed", sizes, final


def refused(data_dir, vault, path):
    before = sha256_of(path)
    with pytest.raises(StoreDamaged) as caught:
        open_database(data_dir, vault)
    assert sha256_of(path) == before  # left exactly as it was
    assert not list(path.parent.glob(path.name + ".torn-*"))
    return caught.value.reason


def test_truncation_at_every_offset_of_the_last_frames_is_refused(data_dir, vault, written):
    path, sizes, final = written
    data = path.read_bytes()
    reasons = set()
    for cut in range(sizes[-4], sizes[-1]):
        path.write_bytes(data[:cut])
        reasons.add(refused(data_dir, vault, path))
    assert reasons == {"truncated"}
    path.write_bytes(data)
    db = open_database(data_dir, vault)
    assert state(db) == final
    db.close()


def test_truncation_at_random_body_offsets_is_refused(data_dir, vault, written):
    path, sizes, _final = written
    data = path.read_bytes()
    rng = random.Random(60)
    cuts = rng.sample(range(HEADER_SIZE, len(data)), 60)
    for cut in cuts:
        path.write_bytes(data[:cut])
        assert refused(data_dir, vault, path) == "truncated", cut


def test_an_older_copy_of_the_log_is_refused(data_dir, vault, written, tmp_path):
    path, _sizes, _final = written
    older = tmp_path / "older.sealed"
    shutil.copy(path, older)
    db = open_database(data_dir, vault)
    db.table("t").insert({"n": "later"})
    db.close()
    shutil.copy(older, path)
    assert refused(data_dir, vault, path) == "truncated"


def test_a_copy_from_before_a_compaction_is_refused(data_dir, vault, written, tmp_path):
    path, _sizes, final = written
    older = tmp_path / "older.sealed"
    shutil.copy(path, older)
    db = open_database(data_dir, vault)
    db.compact()
    db.close()
    newest = path.read_bytes()
    shutil.copy(older, path)
    assert refused(data_dir, vault, path) == "rolled_back"
    path.write_bytes(newest)
    db = open_database(data_dir, vault)
    assert state(db) == final
    db.close()


def test_another_history_of_the_same_length_is_refused(data_dir, vault, written):
    path, _sizes, _final = written
    keystore = vault.values.keystore
    name = vault.values.name("anchor", path.name)
    base_log, base_anchor = path.read_bytes(), keystore.read_value(name)
    db = open_database(data_dir, vault)
    db.table("t").insert({"n": "history one"})
    db.close()
    first = path.read_bytes()
    path.write_bytes(base_log)
    keystore.write_value(name, base_anchor)
    db = open_database(data_dir, vault)
    db.table("t").insert({"n": "history two"})
    db.close()
    assert len(path.read_bytes()) == len(first)
    path.write_bytes(first)
    assert refused(data_dir, vault, path) == "rolled_back"


def test_a_deleted_log_is_refused_and_not_recreated(data_dir, vault, written):
    path, _sizes, _final = written
    path.unlink()
    with pytest.raises(StoreDamaged) as caught:
        open_database(data_dir, vault)
    assert caught.value.reason == "missing_log"
    assert not path.exists()


def test_a_log_without_an_anchor_gets_one_then_is_guarded(data_dir, vault, keystore, written):
    path, sizes, final = written
    name = vault.values.name("anchor", path.name)
    (keystore.path.parent / name).unlink()  # as written by a version without anchors
    db = open_database(data_dir, vault)
    assert state(db) == final
    db.close()
    assert keystore.read_value(name) is not None
    path.write_bytes(path.read_bytes()[: sizes[-2]])
    assert refused(data_dir, vault, path) == "truncated"


def test_anchor_and_values_are_per_logbook(tmp_path, keystore):
    vaults = [Vault.create(tmp_path / name, PIN, keystore, kdf=KdfParams.FLOOR)
              for name in ("one", "two")]
    names = [v.values.name("anchor", "logbook.sealed") for v in vaults]
    assert names[0] != names[1]
    dbs = [open_database(v.data_dir, v) for v in vaults]
    for i in range(6):
        dbs[i % 2].table("t").insert({"n": i})
    for db in dbs:
        db.close()
    for vault in vaults:
        db = open_database(vault.data_dir, vault)
        assert len(db.table("t")) == 3
        db.close()
    # One logbook's anchor does not authenticate under the other's name.
    keystore.write_value(names[1], keystore.read_value(names[0]))
    with pytest.raises(StoreDamaged) as caught:
        open_database(vaults[1].data_dir, vaults[1])
    assert caught.value.reason == "bad_key_store_value"


def test_a_folder_in_place_of_a_file_is_damage(data_dir, vault, keystore, written):
    path, _sizes, _final = written
    path.rename(path.with_name("moved"))
    path.mkdir()
    with pytest.raises(StoreDamaged) as caught:
        open_database(data_dir, vault)
    assert caught.value.reason == "unreadable_log"
    key = data_dir / "vault.key"
    key.rename(data_dir / "moved.key")
    key.mkdir()
    with pytest.raises(StoreDamaged) as caught:
        Vault.unlock(data_dir, PIN, keystore)
    assert caught.value.reason == "bad_keyfile"


@pytest.mark.parametrize("reason", ["rolled_back", "truncated", "missing_log"])
def test_the_officer_reads_that_the_storage_is_shorter_or_older(reason):
    from views.lock.presenter import pin_error_text

    text = pin_error_text(StoreDamaged(reason), "nb")
    assert text.startswith("Lagringen er kortere/eldre enn sist")
    assert pin_error_text(StoreDamaged("bad_crc"), "nb") != text
