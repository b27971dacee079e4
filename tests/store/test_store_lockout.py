"""The lockout counter survives tampering with the data directory, its own value and the clock."""

from __future__ import annotations

import json
import os
import struct
import zlib

import pytest

from fieldapp.store import KdfParams, LockedOut, StoreDamaged, Vault, WrongPin, kdf, lockout
from fieldapp.store.keyfile import KeyFile, secret_id
from fieldapp.store.lockout import LockoutCounter
from fieldapp.store.vault import lockout_counter
from tests.support.clocks import EpochClock
from tests.support.pins import PIN

WRONG = "000001"


@pytest.fixture
def clocks():
    return EpochClock(now=2_000_000.0, mono=100.0)


def unlock(data_dir, keystore, clocks, pin=PIN):
    return Vault.unlock(data_dir, pin, keystore, clock=clocks, monotonic=clocks.monotonic)


def fail(data_dir, keystore, clocks, times):
    for _ in range(times):
        with pytest.raises(WrongPin):
            unlock(data_dir, keystore, clocks, WRONG)


def failures(data_dir, keystore, clocks):
    return lockout_counter(data_dir, keystore, clock=clocks).state().failures


def test_the_data_dir_file_buys_nothing(data_dir, keystore, vault, clocks):
    fail(data_dir, keystore, clocks, 5)
    legacy = data_dir / "lockout.json"
    for tamper in ("write", "delete", "folder"):
        if tamper == "write":
            legacy.write_text(json.dumps({"failures": -1000000, "last_failure": 0}))
            os.utime(legacy, (0, 0))  # back-dated
        elif tamper == "delete":
            legacy.unlink()
        else:
            legacy.mkdir()
        with pytest.raises(LockedOut) as caught:
            unlock(data_dir, keystore, clocks)
        assert caught.value.retry_after == pytest.approx(30)
    assert failures(data_dir, keystore, clocks) == 5


@pytest.mark.parametrize("tamper", ["delete", "garbage", "negative", "string", "float"])
def test_a_tampered_counter_waits_the_maximum(data_dir, keystore, vault, clocks, tamper):
    counter = lockout_counter(data_dir, keystore, clock=clocks)
    path = keystore.path.parent / counter.name
    if tamper == "delete":
        path.unlink()
    elif tamper == "garbage":
        data = path.read_bytes()  # every copy the file holds (both slots) changed
        assert b'"failures"' in data
        path.write_bytes(data.replace(b'"failures"', b'"failurez"'))
    else:
        bad = {"negative": -1000000, "string": "0", "float": 0.5}[tamper]
        counter.box.write("lockout", {"failures": bad, "last_failure": 0.0})
    with pytest.raises(LockedOut) as caught:
        unlock(data_dir, keystore, clocks)  # even the right PIN waits
    assert caught.value.retry_after == pytest.approx(900)
    clocks.advance(899)
    with pytest.raises(LockedOut):
        unlock(data_dir, keystore, clocks)
    clocks.advance(1)
    unlock(data_dir, keystore, clocks).lock()
    assert failures(data_dir, keystore, clocks) == 0


def test_moving_the_wall_clock_forward_skips_no_wait(data_dir, keystore, vault, clocks):
    fail(data_dir, keystore, clocks, 5)
    clocks.advance(1, wall=16 * 60)  # the clock jumps 16 minutes, one second passes
    with pytest.raises(LockedOut) as caught:
        unlock(data_dir, keystore, clocks)
    assert caught.value.retry_after == pytest.approx(29)
    clocks.advance(29, wall=0)
    unlock(data_dir, keystore, clocks).lock()


def test_after_a_reboot_only_the_wall_clock_is_left(data_dir, keystore, vault, clocks,
                                                    monkeypatch):
    fail(data_dir, keystore, clocks, 5)
    monkeypatch.setattr(lockout, "boot_id", lambda: "boot-another")
    clocks.mono = 3.0  # a new boot starts the monotonic clock again
    clocks.now += 10
    with pytest.raises(LockedOut) as caught:
        unlock(data_dir, keystore, clocks)
    assert caught.value.retry_after == pytest.approx(20)
    clocks.now += 20  # documented limit: after a reboot the wall clock is trusted
    unlock(data_dir, keystore, clocks).lock()


@pytest.mark.parametrize("same_boot", [True, False])
def test_a_clock_set_back_never_shortens_the_wait(data_dir, keystore, vault, clocks,
                                                  monkeypatch, same_boot):
    fail(data_dir, keystore, clocks, 5)
    if not same_boot:
        monkeypatch.setattr(lockout, "boot_id", lambda: "boot-another")
    clocks.advance(10, wall=-86400)  # a day back, ten seconds passed
    with pytest.raises(LockedOut) as caught:
        unlock(data_dir, keystore, clocks)
    assert caught.value.retry_after == pytest.approx(20 if same_boot else 30)
    clocks.advance(19)
    with pytest.raises(LockedOut):
        unlock(data_dir, keystore, clocks)
    clocks.advance(11)  # and it does end: the wait is not measured from the future
    unlock(data_dir, keystore, clocks).lock()


def test_a_folder_in_place_of_the_counter_is_damage(data_dir, keystore, vault, clocks):
    path = keystore.path.parent / lockout_counter(data_dir, keystore).name
    path.unlink()
    path.mkdir()
    with pytest.raises(StoreDamaged) as caught:
        unlock(data_dir, keystore, clocks)
    assert caught.value.reason == "bad_key_store_value"


def test_a_damaged_wrapped_key_is_damage_and_not_counted(data_dir, keystore, vault, clocks):
    path = data_dir / "vault.key"
    data = bytearray(path.read_bytes())
    data[90] ^= 0x01  # inside the wrapped data key
    struct.pack_into(">I", data, len(data) - 4, zlib.crc32(bytes(data[:-4])))  # CRC fixed up
    path.write_bytes(bytes(data))
    for _ in range(8):
        with pytest.raises(StoreDamaged) as caught:
            unlock(data_dir, keystore, clocks)
        assert caught.value.reason == "keyfile_auth"
        assert not isinstance(caught.value, WrongPin)
    assert LockoutCounter(vault.values, clocks).state().failures == 0


def write_v1_keyfile(data_dir, keystore, pin):
    """A key file as version 1 wrote it (no store id, no HMAC); returns the data key."""
    secret = keystore.device_secret()
    keyfile = KeyFile(KdfParams.FLOOR, os.urandom(16), secret_id(secret), version=1)
    kek = kdf.derive_kek(pin, keyfile.salt, keyfile.params, secret)
    dek = os.urandom(32)
    nonce, wrapped = keyfile.wrap(kek, 1, dek)
    body = keyfile.header() + struct.pack(">HI12s48s", 1, 1, nonce, wrapped)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "vault.key").write_bytes(body + struct.pack(">I", zlib.crc32(body)))
    return dek


def test_a_version_1_key_file_is_upgraded_and_its_old_copy_refused(tmp_path, keystore, clocks):
    data_dir = tmp_path / "old"
    dek = write_v1_keyfile(data_dir, keystore, PIN)
    old_key = (data_dir / "vault.key").read_bytes()
    (data_dir / "lockout.json").write_text(json.dumps({"failures": 3, "last_failure": 0.0}))
    with pytest.raises(WrongPin) as caught:
        unlock(data_dir, keystore, clocks, WRONG)
    assert caught.value.attempts_left == 1  # the old count was carried over
    vault = unlock(data_dir, keystore, clocks)
    assert vault.data_key(1) == dek
    assert (data_dir / "vault.key").read_bytes()[8:10] == b"\x00\x02"
    assert not (data_dir / "lockout.json").exists()
    vault.lock()
    unlock(data_dir, keystore, clocks).lock()
    (data_dir / "vault.key").write_bytes(old_key)
    with pytest.raises(StoreDamaged) as refused:
        unlock(data_dir, keystore, clocks)
    assert refused.value.reason == "rolled_back"
