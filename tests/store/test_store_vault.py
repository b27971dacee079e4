"""Vault: key wrapping, PIN change, lockout, damaged key files, rotation, PIN policy."""

from __future__ import annotations

import stat
import struct
import time
import zlib

import pytest

from fieldapp.store import (
    KdfParams,
    LockedOut,
    LogbookExists,
    MemoryKeyStore,
    NoLogbook,
    PinRejected,
    StoreDamaged,
    Vault,
    VaultLocked,
    WrongPin,
    open_database,
)
from fieldapp.store import kdf as kdf_module
from fieldapp.store.lockout import LockoutCounter
from tests.store.store_support import sha256_of
from tests.support.clocks import EpochClock
from tests.support.pins import PIN

NEW_PIN = "travel-light-9"


def unlock(data_dir, pin, keystore, clock):
    return Vault.unlock(data_dir, pin, keystore, clock=clock, monotonic=clock.monotonic)


def lockout_failures(vault):
    """The failure count in the key store, read without unlocking (or checking the key file)."""
    return LockoutCounter(vault.values, time.time).state().failures


def test_create_then_unlock_gives_the_same_data_key(data_dir, keystore, vault):
    key = vault.data_key(1)
    assert len(key) == 32 and vault.generation == 1
    again = Vault.unlock(data_dir, PIN, keystore)
    assert again.data_key(1) == key
    assert stat.S_IMODE((data_dir / "vault.key").stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    with pytest.raises(LogbookExists):
        Vault.create(data_dir, PIN, keystore, kdf=KdfParams.FLOOR)


def test_unlock_without_logbook_and_with_other_device_secret(tmp_path, data_dir, vault):
    with pytest.raises(NoLogbook):
        Vault.unlock(tmp_path / "nothing", PIN, MemoryKeyStore())
    with pytest.raises(StoreDamaged) as caught:
        Vault.unlock(data_dir, PIN, MemoryKeyStore())
    assert caught.value.reason == "device_secret_mismatch"


def test_pin_change_keeps_log_bytes_and_swaps_pins(data_dir, keystore, vault):
    db = open_database(data_dir, vault)
    db.table("t").insert({"a": "b"})
    db.close()
    log = data_dir / "logbook.sealed"
    before = sha256_of(log)
    keyfile_before = (data_dir / "vault.key").read_bytes()
    vault.change_pin(PIN, NEW_PIN)
    assert sha256_of(log) == before
    assert (data_dir / "vault.key").read_bytes() != keyfile_before
    with pytest.raises(WrongPin):
        Vault.unlock(data_dir, PIN, keystore)
    reopened = Vault.unlock(data_dir, NEW_PIN, keystore)
    db = open_database(data_dir, reopened)
    assert db.table("t").all() == [{"a": "b"}]
    db.close()
    assert sha256_of(log) == before


def test_pin_change_checks_old_pin_and_policy(data_dir, keystore, vault):
    with pytest.raises(WrongPin):
        vault.change_pin("999999-wrong", NEW_PIN)
    with pytest.raises(PinRejected):
        vault.change_pin(PIN, "123456")
    assert Vault.unlock(data_dir, PIN, keystore).generation == 1


def test_lockout_schedule_with_injected_clock(data_dir, keystore, vault):
    clock = EpochClock()
    for expected_left in (4, 3, 2, 1):
        with pytest.raises(WrongPin) as caught:
            unlock(data_dir, "000001", keystore, clock)
        assert (caught.value.attempts_left, caught.value.retry_after) == (expected_left, 0)
        assert not isinstance(caught.value, LockedOut)
    with pytest.raises(WrongPin) as caught:
        unlock(data_dir, "000001", keystore, clock)
    assert (caught.value.attempts_left, caught.value.retry_after) == (0, 30)
    for delay, next_delay in ((30, 60), (60, 300), (300, 900), (900, 900)):
        clock.advance(delay - 1)
        with pytest.raises(LockedOut) as locked:
            unlock(data_dir, PIN, keystore, clock)  # even the right PIN waits
        assert locked.value.retry_after == pytest.approx(1)
        assert locked.value.attempts_left == 0
        clock.advance(1)
        with pytest.raises(WrongPin) as caught:
            unlock(data_dir, "000001", keystore, clock)
        assert not isinstance(caught.value, LockedOut)
        assert caught.value.retry_after == next_delay
    clock.advance(900)
    unlock(data_dir, PIN, keystore, clock)
    assert lockout_failures(vault) == 0
    with pytest.raises(WrongPin) as caught:
        unlock(data_dir, "000001", keystore, clock)
    assert caught.value.attempts_left == 4


def test_locked_out_runs_no_kdf(data_dir, keystore, vault, monkeypatch):
    clock = EpochClock()
    for _ in range(5):
        with pytest.raises(WrongPin):
            unlock(data_dir, "000001", keystore, clock)
    monkeypatch.setattr(kdf_module, "derive_kek", lambda *a: pytest.fail("KDF ran"))
    with pytest.raises(LockedOut):
        unlock(data_dir, PIN, keystore, clock)


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, SystemExit, MemoryError])
def test_counter_is_durable_before_the_kdf_runs(data_dir, keystore, vault, monkeypatch,
                                                 interrupt):
    def killed(*args):
        # At this point the attempt must already be on disk.
        assert lockout_failures(vault) == 1
        raise interrupt()

    monkeypatch.setattr(kdf_module, "derive_kek", killed)
    with pytest.raises(interrupt):
        Vault.unlock(data_dir, PIN, keystore)
    assert lockout_failures(vault) == 1
    monkeypatch.undo()
    with pytest.raises(WrongPin) as caught:
        Vault.unlock(data_dir, "000001", keystore)
    assert caught.value.attempts_left == 3


def rewrite_header(path, **fields):
    data = bytearray(path.read_bytes())
    layout = {"n": 10, "r": 14, "p": 18}
    for name, value in fields.items():
        struct.pack_into(">I", data, layout[name], value)
    struct.pack_into(">I", data, len(data) - 4, zlib.crc32(bytes(data[:-4])))
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("fields", [{"n": 2**14}, {"n": 2**10}, {"r": 4}, {"p": 0}])
def test_weaker_kdf_in_header_is_refused_before_any_kdf(data_dir, keystore, vault,
                                                         monkeypatch, fields):
    rewrite_header(data_dir / "vault.key", **fields)
    monkeypatch.setattr(kdf_module, "derive_kek", lambda *a: pytest.fail("KDF ran"))
    with pytest.raises(StoreDamaged) as caught:
        Vault.unlock(data_dir, PIN, keystore)
    assert caught.value.reason == "weak_kdf"
    assert lockout_failures(vault) == 0


def test_edited_header_with_fixed_checksum_is_damage_not_a_wrong_pin(data_dir, keystore,
                                                                      vault):
    rewrite_header(data_dir / "vault.key", n=2**16)
    for _ in range(7):
        with pytest.raises(StoreDamaged) as caught:
            Vault.unlock(data_dir, PIN, keystore)
        assert caught.value.reason == "keyfile_auth"
    assert lockout_failures(vault) == 0


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "magic", "extra"])
def test_damaged_key_file_is_reported_and_left_alone(data_dir, keystore, vault, damage):
    path = data_dir / "vault.key"
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[:-7]
    elif damage == "flip":
        data[60] ^= 0x10
    elif damage == "empty":
        data = bytearray()
    elif damage == "magic":
        data[0] ^= 1
    else:
        data += b"\0" * 64
    path.write_bytes(bytes(data))
    before = sha256_of(path)
    with pytest.raises(StoreDamaged) as caught:
        Vault.unlock(data_dir, PIN, keystore)
    assert caught.value.reason == "bad_keyfile"
    assert sha256_of(path) == before


def test_rotation_keeps_only_the_new_generation_after_compaction(data_dir, keystore, vault):
    db = open_database(data_dir, vault)
    db.table("t").insert({"a": "secret words"})
    old_log = (data_dir / "logbook.sealed").read_bytes()
    old_key = vault.data_key(1)
    db.compact()
    assert vault.generations == (2,)
    with pytest.raises(KeyError):
        vault.data_key(1)
    keyfile = (data_dir / "vault.key").read_bytes()
    count = struct.unpack_from(">H", keyfile, 62)[0]
    assert count == 1 and struct.unpack_from(">I", keyfile, 64)[0] == 2
    db.close()
    reopened = Vault.unlock(data_dir, PIN, keystore)
    assert reopened.generations == (2,)
    assert old_key not in keyfile
    assert old_log != (data_dir / "logbook.sealed").read_bytes()
    db = open_database(data_dir, reopened)
    assert db.table("t").all() == [{"a": "secret words"}]
    db.close()


def test_begin_and_finish_rotation_are_durable(data_dir, keystore, vault):
    new = vault.begin_rotation()
    assert new == 2 and vault.generation == 2
    assert Vault.unlock(data_dir, PIN, keystore).generations == (1, 2)
    vault.finish_rotation(2)
    assert Vault.unlock(data_dir, PIN, keystore).generations == (2,)
    with pytest.raises(KeyError):
        vault.finish_rotation(1)


def test_lock_drops_key_material(vault):
    key_buffer = vault._deks[1]
    kek_buffer = vault._kek
    vault.lock()
    assert vault.is_locked
    assert key_buffer == bytearray(32) and kek_buffer == bytearray(32)
    with pytest.raises(VaultLocked):
        vault.data_key(1)
    with pytest.raises(VaultLocked):
        vault.begin_rotation()


def test_create_checks_the_policy(data_dir, keystore):
    with pytest.raises(PinRejected):
        Vault.create(data_dir, "111111", keystore, kdf=KdfParams.FLOOR)
    assert not (data_dir / "vault.key").exists()


def test_missing_key_file_next_to_a_log_is_damage(data_dir, keystore, vault):
    open_database(data_dir, vault).close()
    (data_dir / "vault.key").rename(data_dir / "elsewhere.key")
    with pytest.raises(StoreDamaged) as caught:
        Vault.unlock(data_dir, PIN, keystore)
    assert caught.value.reason == "missing_keyfile"
    with pytest.raises(LogbookExists):
        Vault.create(data_dir, PIN, keystore, kdf=KdfParams.FLOOR)


def test_temp_files_left_by_a_crash_are_removed(data_dir, keystore, vault):
    for name in (".vault.key.tmp-abc", ".lockout.json.tmp-def", ".logbook.sealed.tmp-123"):
        (data_dir / name).write_bytes(b"ciphertext only")
    unlocked = Vault.unlock(data_dir, PIN, keystore)
    open_database(data_dir, unlocked).close()
    assert sorted(p.name for p in data_dir.iterdir()) == ["logbook.sealed", "vault.key"]
