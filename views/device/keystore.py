"""The device secret in the phone's keystore, through flet-secure-storage.

flutter_secure_storage keeps values encrypted with a key held by the Android Keystore, or in
the iOS Keychain. Options chosen here, and why:

- Android ``reset_on_error=False``: its default erases every stored value when the keystore
  errs — for us the device secret, so the logbook could never be opened again. An error now
  surfaces as :class:`~fieldapp.device.KeyStoreUnavailable` ("Kan ikke låse opp: telefonens
  nøkkellager svarer ikke") and nothing is erased or created.
- iOS ``first_unlock_this_device``, not synchronizable: readable after the phone's first
  unlock since boot (the app may start locked-screen-adjacent), never in iCloud or a backup
  restored to another phone.

Values are bytes; the storage keeps text, so they are stored as base64 under
``politikontakt.device`` and ``politikontakt.value.<name>``. Every call is synchronous for the
store and bridged onto the page's event loop with a deadline — which cannot work *on* the
loop's thread, where Flet 1.0.5 runs plain event handlers (a save appends to the log and
records the commit anchor right there). Hence the phone's composition (:class:`SplitKeyStore`):

- the device secret from secure storage, read in a worker thread at unlock and then kept in
  memory for the session, so calls on the loop thread (PIN change, key-file upgrade) get it;
- the named values (lockout counter, commit anchor) in 0600 files outside the data directory,
  like on a desktop. The store authenticates them with a key derived from the device secret,
  so they need no secrecy; on Android, secure storage would not stop a rollback either (its
  values are ciphertext in SharedPreferences, restorable like any file in the sandbox).

One-time migration from the file key store (``default_keystore``), on the first call, in a
worker thread, under the lock:

1. secure storage has no secret, the file has one: copy the named values the legacy side
   offers (none when values stay in files), then the secret (last in), read everything back
   and compare, then delete what was copied and the secret file (last out). Interrupted
   before the secret is written: the next start copies again. Interrupted after: the next
   start finds the same secret in both and only deletes files.
2. secure storage holds the same secret: delete the leftover files (values missing in secure
   storage are copied first; values present there are newer and win).
3. secure storage holds another secret: nothing is deleted; a warning is logged (the logbook's
   key file names the secret that sealed it, so opening says which one is wrong).
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import secrets
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import flet as ft

from fieldapp import KeyStore, StoreDamaged
from fieldapp.device import KeyStoreUnavailable

from .bridge import CalledOnEventLoop, LoopBridge

if TYPE_CHECKING:  # an optional extension, imported on phones only
    import flet_secure_storage as fss

log = logging.getLogger(__name__)

SECRET_BYTES = 32
DEVICE_ENTRY = "politikontakt.device"  # the storage key of the device secret
VALUE_PREFIX = "politikontakt.value."
VALUE_NAME = re.compile(r"^[a-z0-9._-]{1,64}$")
CALL_TIMEOUT = 10.0


class LegacySecrets(Protocol):
    """The file key store as the migration sees it."""

    def secret(self) -> bytes | None: ...
    def values(self) -> dict[str, bytes]: ...
    def discard(self) -> None: ...


def platform_options() -> dict[str, Any]:
    """The per-platform options passed with every call (and set on the service)."""
    import flet_secure_storage as fss  # noqa: PLC0415 - optional extension, phones only

    return {
        "android": fss.AndroidOptions(reset_on_error=False),
        "ios": fss.IOSOptions(accessibility=fss.KeychainAccessibility.FIRST_UNLOCK_THIS_DEVICE,
                              synchronizable=False),
    }


class SecureStorageKeyStore(KeyStore):
    def __init__(self, storage: fss.SecureStorage, bridge: LoopBridge, *,
                 options: dict[str, Any] | None = None,
                 legacy: LegacySecrets | None = None, timeout: float = CALL_TIMEOUT):
        self._storage = storage
        self._bridge = bridge
        self._options = options or {}
        self._legacy = legacy
        self._timeout = timeout
        self._lock = threading.RLock()
        self._known: bytes | None = None  # the secret as last read, for the loop thread

    @classmethod
    def for_page(cls, page: ft.Page, legacy: LegacySecrets | None = None) -> SecureStorageKeyStore:
        import flet_secure_storage as fss  # noqa: PLC0415

        options = platform_options()
        storage = fss.SecureStorage(android_options=options["android"],
                                    ios_options=options["ios"])
        return cls(storage, LoopBridge(page.loop), options=options, legacy=legacy)

    # -- the KeyStore port ------------------------------------------------------------------

    def device_secret(self) -> bytes:
        if self._known is not None and self._bridge.on_loop_thread():
            return self._known
        with self._lock:
            self._migrate_once()
            secret = self.stored_secret()
            if secret is None:
                secret = secrets.token_bytes(SECRET_BYTES)
                self._put(DEVICE_ENTRY, secret)
                if self.stored_secret() != secret:
                    raise KeyStoreUnavailable("not_kept", "The new device secret was not kept.")
            self._known = secret
            return secret

    def read_value(self, name: str) -> bytes | None:
        with self._lock:
            self._migrate_once()
            return self._fetch(VALUE_PREFIX + _checked(name))

    def write_value(self, name: str, value: bytes) -> None:
        with self._lock:
            self._migrate_once()
            self._put(VALUE_PREFIX + _checked(name), bytes(value))

    def stored_secret(self) -> bytes | None:
        """The device secret if one is stored (never creates one)."""
        secret = self._fetch(DEVICE_ENTRY)
        if secret is not None and len(secret) != SECRET_BYTES:
            raise StoreDamaged("bad_device_secret", "The stored device secret is damaged.")
        return secret

    # -- migration from the file key store ----------------------------------------------------

    def _migrate_once(self) -> None:
        legacy, self._legacy = self._legacy, None
        if legacy is None:
            return
        try:
            migrate(self, legacy)
        except BaseException:
            self._legacy = legacy  # try again on the next call
            raise

    # -- the bridge to the Flet service ---------------------------------------------------------

    def _fetch(self, key: str) -> bytes | None:
        text = self._call(lambda: self._storage.get(key, **self._options))
        if text is None:
            return None
        try:
            return base64.b64decode(str(text), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise StoreDamaged("bad_key_store_value",
                               "A value in the phone's key store is damaged.") from exc

    def _put(self, key: str, value: bytes) -> None:
        text = base64.b64encode(value).decode("ascii")
        self._call(lambda: self._storage.set(key, text, **self._options))

    def _call(self, make: Callable[[], Any]) -> Any:
        try:
            return self._bridge.call(make, self._timeout)
        except CalledOnEventLoop as exc:
            raise KeyStoreUnavailable("event_loop", str(exc)) from exc
        except TimeoutError as exc:
            raise KeyStoreUnavailable("timeout") from exc
        except Exception as exc:  # the keystore failed: say so, never reset or create
            log.warning("key store call failed: %s", type(exc).__name__)
            raise KeyStoreUnavailable("error") from exc

    def __repr__(self) -> str:
        return "SecureStorageKeyStore()"


def migrate(target: SecureStorageKeyStore, legacy: LegacySecrets) -> str:
    """Move the file key store into secure storage (see the module docstring for the order).
    Returns what happened: ``none``, ``copied``, ``cleaned`` or ``kept_both``."""
    old = legacy.secret()
    if old is None:
        return "none"
    current = target.stored_secret()
    if current is not None and current != old:
        log.warning("key store migration: a different secret is already stored; files kept")
        return "kept_both"
    values = legacy.values()
    for name, value in values.items():
        if current is None or target.read_value(name) is None:
            target.write_value(name, value)
    if current is None:
        target._put(DEVICE_ENTRY, old)  # last in: its presence means "copied"
    if target.stored_secret() != old or any(target.read_value(n) is None for n in values):
        raise KeyStoreUnavailable("migration_unverified", "The copied secret did not read back.")
    legacy.discard()  # values first, the secret file last
    log.info("key store migration: %s", "copied" if current is None else "cleaned")
    return "copied" if current is None else "cleaned"


class SplitKeyStore(KeyStore):
    """The device secret from one key store, the named values in another (see above)."""

    def __init__(self, secret_from: KeyStore, values_in: KeyStore):
        self.secret_from = secret_from
        self.values_in = values_in

    def device_secret(self) -> bytes:
        return self.secret_from.device_secret()

    def read_value(self, name: str) -> bytes | None:
        return self.values_in.read_value(name)

    def write_value(self, name: str, value: bytes) -> None:
        self.values_in.write_value(name, value)


class UnavailableKeyStore(KeyStore):
    """Stands in when the secure-storage extension is missing from a phone build: every call
    says so, and nothing falls back to a weaker place."""

    def __init__(self, reason: str = "no_client"):
        self.reason = reason

    def device_secret(self) -> bytes:
        raise KeyStoreUnavailable(self.reason)

    def read_value(self, name: str) -> bytes | None:
        raise KeyStoreUnavailable(self.reason)

    def write_value(self, name: str, value: bytes) -> None:
        raise KeyStoreUnavailable(self.reason)


def _checked(name: str) -> str:
    if not VALUE_NAME.match(name):
        raise ValueError("a key-store value name is [a-z0-9._-]{1,64}")
    return name
