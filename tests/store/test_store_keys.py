"""PIN policy, KDF calibration, nonces and the device-secret key stores."""

from __future__ import annotations

import stat

import pytest

from fieldapp.store import (
    FileKeyStore,
    KdfParams,
    MemoryKeyStore,
    PinRejected,
    StoreDamaged,
    check_pin_policy,
    default_keystore,
)
from fieldapp.store.nonces import new_nonce


@pytest.mark.parametrize(
    ("pin", "reason"),
    [
        ("12345", "too_short"),
        ("", "not_digits_or_passphrase"),
        ("      ", "not_digits_or_passphrase"),
        ("4815\n29", "not_digits_or_passphrase"),
        ("abc1234", "too_short"),
        ("000000", "trivial"),
        ("999999999", "trivial"),
        ("123456", "trivial"),
        ("234567", "trivial"),
        ("654321", "trivial"),
        ("0123456789", "trivial"),
        ("890123", "trivial"),
        ("121212", "trivial"),
        ("123123", "trivial"),
        ("12341234", "trivial"),
        ("aaaaaaaa", "trivial"),
    ],
)
def test_pin_policy_refuses(pin, reason):
    with pytest.raises(PinRejected) as caught:
        check_pin_policy(pin)
    assert caught.value.reason == reason
    assert pin.strip() == "" or pin not in str(caught.value)


@pytest.mark.parametrize("pin", ["481529", "1357924680", "904182", "korrekt hest", "Ørret-17"])
def test_pin_policy_accepts(pin):
    check_pin_policy(pin)


def test_kdf_calibration_and_floor():
    floor = KdfParams.CALIBRATION_FLOOR
    assert (floor.n, floor.r, floor.p) == (2**17, 8, 1) and floor.n >= KdfParams.FLOOR.n
    assert KdfParams.calibrate(target_seconds=0.01) == floor  # real scrypt, never below

    def linear(per_n, slow_every=None):
        calls = []

        def timer(n, r):
            calls.append(n)
            slow = slow_every is not None and len(calls) % slow_every == 0
            return n * per_n * (50 if slow else 1)

        return timer, calls

    timer, calls = linear(1e-6)  # 2**17 -> 0.13 s, 2**18 -> 0.26 s, 2**19 -> 0.52 s
    assert KdfParams.calibrate(0.5, timer=timer) == KdfParams(2**18, 8, 1)
    assert calls == [2**17] * 3 + [2**18] * 3  # each candidate timed three times
    timer, _ = linear(1e-6, slow_every=3)  # one slow run in three: the median ignores it
    assert KdfParams.calibrate(0.5, timer=timer).n == 2**18
    timer, _ = linear(1e-5)  # a busy or slow device stays at the floor
    assert KdfParams.calibrate(0.5, timer=timer) == floor
    timer, _ = linear(1e-9)
    assert KdfParams.calibrate(1000, timer=timer).n == 2**20  # capped (1 GiB at r=8)


def test_a_million_nonces_are_unique():
    nonces = {new_nonce() for _ in range(10**6)}
    assert len(nonces) == 10**6
    assert all(len(n) == 12 for n in list(nonces)[:10])


def test_file_keystore_is_private_and_stable(tmp_path):
    store = FileKeyStore(tmp_path / "ks" / "device-secret")
    secret = store.device_secret()
    assert len(secret) == 32
    assert FileKeyStore(store.path).device_secret() == secret
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    store.path.write_bytes(b"short")
    with pytest.raises(StoreDamaged):
        store.device_secret()
    assert MemoryKeyStore().device_secret() != MemoryKeyStore().device_secret()


def test_default_keystore_is_outside_the_data_dir(tmp_path, monkeypatch):
    data = tmp_path / "app" / "data"
    monkeypatch.setenv("POLITIKONTAKT_KEYSTORE_DIR", str(tmp_path / "ks"))
    assert default_keystore(data).path == (tmp_path / "ks" / "device-secret").resolve()
    monkeypatch.delenv("POLITIKONTAKT_KEYSTORE_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert default_keystore(data).path == (tmp_path / "cfg/politikontakt/device-secret").resolve()
    monkeypatch.setenv("POLITIKONTAKT_KEYSTORE_DIR", str(data / "inner"))
    inside = default_keystore(data).path
    assert inside == (tmp_path / "app" / ".data.keystore" / "device-secret").resolve()
    assert not inside.is_relative_to(data.resolve())
    monkeypatch.delenv("POLITIKONTAKT_KEYSTORE_DIR")
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_keystore(data).path == (
        tmp_path / "home/.config/politikontakt/device-secret"
    ).resolve()
