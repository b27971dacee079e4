"""The device secret in the phone's keystore (flet-secure-storage), bridged from the store's
worker threads onto the page's loop: options, errors that never erase, and the one-time
migration from the file key store."""

from __future__ import annotations

import asyncio
import base64

import pytest

from fieldapp import Logbook, StoreDamaged
from fieldapp.device import KeyStoreUnavailable
from fieldapp.store import FileKeyStore, KdfParams
from main import FileSecrets
from tests.support.pins import PIN
from tests.views.device_fakes import FakeSecureStorage, LoopThread
from views.device.bridge import LoopBridge
from views.device.keystore import (
    DEVICE_ENTRY,
    VALUE_PREFIX,
    SecureStorageKeyStore,
    SplitKeyStore,
    migrate,
    platform_options,
)
from views.lock.presenter import pin_error_text


@pytest.fixture
def loop_thread():
    runner = LoopThread()
    yield runner
    runner.close()


@pytest.fixture
def storage():
    return FakeSecureStorage()


def _keystore(storage, loop_thread, **kw) -> SecureStorageKeyStore:
    return SecureStorageKeyStore(storage, LoopBridge(loop_thread.loop),
                                 options=platform_options(), timeout=2.0, **kw)


def test_the_secret_is_made_once_kept_as_base64_and_stable(storage, loop_thread):
    store = _keystore(storage, loop_thread)
    secret = store.device_secret()
    assert len(secret) == 32 and store.device_secret() == secret
    assert base64.b64decode(storage.data[DEVICE_ENTRY]) == secret
    assert _keystore(storage, loop_thread).device_secret() == secret  # a new session


def test_every_call_erases_nothing_on_error_and_stays_on_this_device(storage, loop_thread):
    _keystore(storage, loop_thread).device_secret()
    for _method, options in storage.calls:
        assert options["android"].reset_on_error is False
        assert options["ios"].accessibility.value == "first_unlock_this_device"
        assert options["ios"].synchronizable is False


def test_named_values_round_trip_as_bytes(storage, loop_thread):
    store = _keystore(storage, loop_thread)
    assert store.read_value("lockout") is None
    store.write_value("lockout", b"\x00\xffcounter")
    assert store.read_value("lockout") == b"\x00\xffcounter"
    assert VALUE_PREFIX + "lockout" in storage.data
    with pytest.raises(ValueError):
        store.write_value("../secret", b"x")


def test_a_keystore_error_is_said_plainly_and_creates_nothing(storage, loop_thread):
    store = _keystore(storage, loop_thread)
    storage.broken = True
    with pytest.raises(KeyStoreUnavailable) as caught:
        store.device_secret()
    assert caught.value.reason == "error" and storage.data == {}
    assert [method for method, _ in storage.calls] == ["get"]  # no set after a failed get
    assert pin_error_text(caught.value, "nb").startswith(
        "Kan ikke låse opp: telefonens nøkkellager svarer ikke.")
    assert pin_error_text(caught.value, "en").startswith("Cannot unlock: the phone's key store")


def test_no_answer_in_time_and_a_call_on_the_loop_are_refused(storage, loop_thread):
    storage.delay = 5
    with pytest.raises(KeyStoreUnavailable) as slow:
        SecureStorageKeyStore(storage, LoopBridge(loop_thread.loop), timeout=0.2).device_secret()
    assert slow.value.reason == "timeout"
    storage.delay = 0
    store = _keystore(storage, loop_thread)

    async def on_the_loop():
        return store.device_secret()

    with pytest.raises(KeyStoreUnavailable) as on_loop:
        asyncio.run_coroutine_threadsafe(on_the_loop(), loop_thread.loop).result(3)
    assert on_loop.value.reason == "event_loop"


def test_a_damaged_stored_value_is_damage_not_a_new_secret(storage, loop_thread):
    storage.data[DEVICE_ENTRY] = "not base64 !"
    with pytest.raises(StoreDamaged):
        _keystore(storage, loop_thread).device_secret()
    storage.data[DEVICE_ENTRY] = base64.b64encode(b"short").decode()
    with pytest.raises(StoreDamaged):
        _keystore(storage, loop_thread).device_secret()
    assert base64.b64decode(storage.data[DEVICE_ENTRY]) == b"short"


def test_the_logbook_opens_again_after_the_keystore_recovers(storage, loop_thread, tmp_path):
    data = tmp_path / "data"
    Logbook.create(data, PIN, keystore=_keystore(storage, loop_thread),
                   kdf=KdfParams.FLOOR).close()
    storage.broken = True
    with pytest.raises(KeyStoreUnavailable):
        Logbook.open(data, PIN, keystore=_keystore(storage, loop_thread))
    storage.broken = False
    Logbook.open(data, PIN, keystore=_keystore(storage, loop_thread)).close()


def _file_store(tmp_path) -> FileKeyStore:
    return FileKeyStore(tmp_path / "keys" / "device-secret")


def test_migration_copies_verifies_then_deletes_the_files(storage, loop_thread, tmp_path):
    files = _file_store(tmp_path)
    data = tmp_path / "data"
    Logbook.create(data, PIN, keystore=files, kdf=KdfParams.FLOOR).close()
    files.write_value("anchor", b"commit-anchor")
    old = files.device_secret()
    phone = _keystore(storage, loop_thread, legacy=FileSecrets(files))
    Logbook.open(data, PIN, keystore=phone).close()  # the migration runs on first use
    assert phone.stored_secret() == old and phone.read_value("anchor") == b"commit-anchor"
    assert not files.path.exists() and not (files.path.parent / "anchor").exists()


def test_an_interrupted_migration_keeps_the_file_and_finishes_later(storage, loop_thread,
                                                                    tmp_path):
    files = _file_store(tmp_path)
    old = files.device_secret()
    files.write_value("lockout", b"3")
    phone = _keystore(storage, loop_thread)
    real_set = storage.set

    async def dies_on_the_secret(key, value, **options):
        if key == DEVICE_ENTRY:
            raise RuntimeError("killed")
        return await real_set(key, value, **options)

    storage.set = dies_on_the_secret
    with pytest.raises(KeyStoreUnavailable):
        migrate(phone, FileSecrets(files))
    assert files.path.exists() and (files.path.parent / "lockout").exists()
    storage.set = real_set
    assert migrate(phone, FileSecrets(files)) == "copied"
    assert phone.device_secret() == old and not files.path.exists()


def test_after_the_secret_was_copied_only_the_files_are_deleted(storage, loop_thread,
                                                                tmp_path):
    files = _file_store(tmp_path)
    old = files.device_secret()
    files.write_value("lockout", b"old")
    phone = _keystore(storage, loop_thread)
    phone._put(DEVICE_ENTRY, old)
    phone.write_value("lockout", b"newer")  # written by the app since the copy
    assert migrate(phone, FileSecrets(files)) == "cleaned"
    assert phone.read_value("lockout") == b"newer" and not files.path.exists()


def test_a_different_secret_in_the_keystore_leaves_both_alone(storage, loop_thread, tmp_path):
    files = _file_store(tmp_path)
    old = files.device_secret()
    phone = _keystore(storage, loop_thread)
    other = phone.device_secret()
    assert other != old
    assert migrate(phone, FileSecrets(files)) == "kept_both"
    assert files.path.read_bytes() == old and phone.device_secret() == other
    assert migrate(phone, FileSecrets(_file_store(tmp_path / "none"))) == "none"


def test_the_phone_composition_saves_on_the_event_loop(storage, loop_thread, tmp_path):
    """Flet runs plain handlers on the loop: a save there records the commit anchor (a named
    value, kept in a file) and may need the secret (kept in memory after the unlock)."""
    files = _file_store(tmp_path)
    old = files.device_secret()
    files.write_value("lockout", b"kept in a file")
    secure = _keystore(storage, loop_thread, legacy=FileSecrets(files, with_values=False))
    phone = SplitKeyStore(secret_from=secure, values_in=files)
    logbook = Logbook.create(tmp_path / "data", PIN, keystore=phone, kdf=KdfParams.FLOOR)
    assert secure.stored_secret() == old and not files.path.exists()
    assert files.read_value("lockout") == b"kept in a file"

    async def on_the_loop():
        logbook.preferences.theme = "dark"
        return phone.device_secret()

    assert asyncio.run_coroutine_threadsafe(on_the_loop(), loop_thread.loop).result(5) == old
    logbook.close()
    reopened = Logbook.open(tmp_path / "data", PIN, keystore=SplitKeyStore(
        secret_from=_keystore(storage, loop_thread), values_in=files))
    assert reopened.preferences.theme == "dark"
    reopened.close()


@pytest.mark.parametrize(("web", "platform", "phone"), [
    (False, "android", True), (False, "ios", True), (True, "android", False),
    (False, "linux", False), (True, "linux", False), (False, "macos", False),
])
def test_only_a_phone_build_keeps_the_secret_in_the_keystore(loop_thread, tmp_path, web,
                                                            platform, phone):
    import flet as ft

    from main import DirectoryLogbooks, factory_for

    page = loop_thread.page(web=web, platform=ft.PagePlatform(platform))
    chosen = factory_for(page, DirectoryLogbooks(tmp_path / "data"))
    keystore = chosen.options.get("keystore")
    assert isinstance(keystore, SplitKeyStore) is phone
    if phone:
        assert isinstance(keystore.secret_from, SecureStorageKeyStore)
        assert keystore.values_in.path.parent == tmp_path / ".data.keystore"
    else:
        assert keystore is None  # the Logbook's default: the file key store
