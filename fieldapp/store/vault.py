"""The vault: the data keys of one logbook, wrapped by a PIN-derived key.

Key hierarchy::

    PIN ──scrypt(salt, n, r, p)──┐
                                 ├─ HKDF-SHA256(salt = device secret,
    device secret (KeyStore) ────┘              info = "politikontakt/kek/v1") = KEK
    KEK ──AES-256-GCM wrap (AAD = key-file header + generation)──> DEK per generation

The DEK encrypts the sealed log. There is no stored PIN hash: a wrong PIN shows up as the
AES-GCM unwrap failing. A new DEK generation is made at every compaction (``begin_rotation`` /
``finish_rotation``), so bytes purged by a compaction cannot be decrypted any more. Changing
the PIN re-wraps the DEKs under a new salt and leaves the log bytes untouched.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path

from . import kdf
from .errors import LogbookExists, NoLogbook, StoreDamaged, VaultLocked, WrongPin
from .files import atomic_create, atomic_replace, ensure_private_dir, remove_stale_temps
from .kdf import KdfParams, wipe
from .keyfile import KeyFile, secret_id
from .keystore import KeyStore
from .lockout import LockoutCounter, attempts_left, delay_after
from .pin_policy import check_pin_policy

KEY_FILE_NAME = "vault.key"
LOCKOUT_FILE_NAME = "lockout.json"
LOG_FILE_NAME = "logbook.sealed"
SALT_BYTES = 16
DEK_BYTES = 32

Clock = Callable[[], float]


class Vault:
    """An unlocked vault. Build one with :meth:`create` or :meth:`unlock`."""

    def __init__(
        self,
        data_dir: Path,
        keyfile: KeyFile,
        kek: bytearray,
        deks: dict[int, bytearray],
        keystore: KeyStore,
        clock: Clock,
    ) -> None:
        self.data_dir = data_dir
        self._keyfile = keyfile
        self._kek: bytearray | None = kek
        self._deks = deks
        self._keystore = keystore
        self._clock = clock
        self._lock = threading.RLock()
        self._lock_listeners: list[Callable[[], None]] = []

    # -- opening ------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        data_dir: str | os.PathLike[str],
        pin: str,
        keystore: KeyStore,
        *,
        kdf: KdfParams | None = None,
        clock: Clock = time.time,
    ) -> Vault:
        """Make a new vault (new DEK, generation 1). Raises PinRejected, LogbookExists."""
        check_pin_policy(pin)
        data_dir = Path(data_dir)
        key_path = data_dir / KEY_FILE_NAME
        if key_path.exists() or (data_dir / LOG_FILE_NAME).exists():
            raise LogbookExists()
        params = kdf or KdfParams.calibrate()
        if params.n < KdfParams.FLOOR.n or params.r < KdfParams.FLOOR.r:
            raise ValueError("KDF parameters below the floor")
        params.check()
        ensure_private_dir(data_dir)
        secret = keystore.device_secret()
        keyfile = KeyFile(params, secrets.token_bytes(SALT_BYTES), secret_id(secret))
        kek = _derive_kek(pin, keyfile, secret)
        dek = bytearray(secrets.token_bytes(DEK_BYTES))
        keyfile = keyfile.with_wrapped({1: keyfile.wrap(kek, 1, dek)})
        if not atomic_create(key_path, keyfile.to_bytes()):
            wipe(kek)
            wipe(dek)
            raise LogbookExists()
        LockoutCounter(data_dir / LOCKOUT_FILE_NAME, clock).reset()
        return cls(data_dir, keyfile, kek, {1: dek}, keystore, clock)

    @classmethod
    def unlock(
        cls,
        data_dir: str | os.PathLike[str],
        pin: str,
        keystore: KeyStore,
        *,
        clock: Clock = time.time,
    ) -> Vault:
        """Open the vault with ``pin``. Raises NoLogbook, LockedOut, WrongPin, StoreDamaged."""
        data_dir = Path(data_dir)
        keyfile = _read_keyfile(data_dir / KEY_FILE_NAME)
        secret = _checked_secret(keystore, keyfile)
        counter = LockoutCounter(data_dir / LOCKOUT_FILE_NAME, clock)
        kek, deks = _attempt(counter, pin, keyfile, secret)
        return cls(data_dir, keyfile, kek, deks, keystore, clock)

    # -- keys -------------------------------------------------------------------------

    @property
    def key_path(self) -> Path:
        return self.data_dir / KEY_FILE_NAME

    @property
    def is_locked(self) -> bool:
        return self._kek is None

    @property
    def generation(self) -> int:
        """The newest DEK generation."""
        with self._lock:
            self._require_unlocked()
            return max(self._deks)

    @property
    def generations(self) -> tuple[int, ...]:
        with self._lock:
            self._require_unlocked()
            return tuple(sorted(self._deks))

    @property
    def kdf_params(self) -> KdfParams:
        return self._keyfile.params

    def data_key(self, generation: int) -> bytes:
        """The DEK of ``generation``; KeyError if the vault does not hold it."""
        with self._lock:
            self._require_unlocked()
            return bytes(self._deks[generation])

    def begin_rotation(self) -> int:
        """Add a new DEK generation, durably, next to the existing ones; return it."""
        with self._lock:
            self._require_unlocked()
            generation = max(self._deks) + 1
            dek = bytearray(secrets.token_bytes(DEK_BYTES))
            wrapped = dict(self._keyfile.wrapped)
            wrapped[generation] = self._keyfile.wrap(self._kek, generation, dek)
            self._store(self._keyfile.with_wrapped(wrapped))
            self._deks[generation] = dek
            return generation

    def finish_rotation(self, keep_generation: int) -> None:
        """Drop every DEK except ``keep_generation`` from the key file (durably) and memory."""
        with self._lock:
            self._require_unlocked()
            if keep_generation not in self._deks:
                raise KeyError(keep_generation)
            if set(self._deks) == {keep_generation}:
                return
            kept = {keep_generation: self._keyfile.wrapped[keep_generation]}
            self._store(self._keyfile.with_wrapped(kept))
            for generation in [g for g in self._deks if g != keep_generation]:
                wipe(self._deks.pop(generation))

    # -- PIN --------------------------------------------------------------------------

    def change_pin(self, old_pin: str, new_pin: str, *, kdf: KdfParams | None = None) -> None:
        """Re-wrap the DEKs under ``new_pin`` with a new salt; the log is not touched.

        ``old_pin`` is checked again (it counts towards the lockout). ``kdf=None`` keeps the
        current parameters.
        """
        check_pin_policy(new_pin)
        with self._lock:
            self._require_unlocked()
            secret = _checked_secret(self._keystore, self._keyfile)
            counter = LockoutCounter(self.data_dir / LOCKOUT_FILE_NAME, self._clock)
            old_kek, old_deks = _attempt(counter, old_pin, self._keyfile, secret)
            wipe(old_kek)
            for dek in old_deks.values():
                wipe(dek)
            params = kdf or self._keyfile.params
            params.check()
            fresh = KeyFile(params, secrets.token_bytes(SALT_BYTES), secret_id(secret))
            new_kek = _derive_kek(new_pin, fresh, secret)
            wrapped = {g: fresh.wrap(new_kek, g, dek) for g, dek in self._deks.items()}
            self._store(fresh.with_wrapped(wrapped))
            wipe(self._kek)
            self._kek = new_kek

    # -- locking ----------------------------------------------------------------------

    def add_lock_listener(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` when the vault is locked (open storages close themselves)."""
        with self._lock:
            self._lock_listeners.append(listener)

    def remove_lock_listener(self, listener: Callable[[], None]) -> None:
        with self._lock:
            if listener in self._lock_listeners:
                self._lock_listeners.remove(listener)

    def lock(self) -> None:
        """Drop all key material (overwritten in place, best effort) and tell listeners."""
        with self._lock:
            listeners, self._lock_listeners = self._lock_listeners, []
        try:
            # Outside our lock: a storage may be waiting for it while holding its own.
            for listener in listeners:
                listener()
        finally:
            with self._lock:
                wipe(self._kek)
                self._kek = None
                for dek in self._deks.values():
                    wipe(dek)
                self._deks = {}

    # -- internals --------------------------------------------------------------------

    def _require_unlocked(self) -> None:
        if self._kek is None:
            raise VaultLocked()

    def _store(self, keyfile: KeyFile) -> None:
        atomic_replace(self.key_path, keyfile.to_bytes())
        self._keyfile = keyfile

    def __repr__(self) -> str:
        state = "locked" if self.is_locked else "unlocked"
        return f"<Vault {state}>"


def _read_keyfile(path: Path) -> KeyFile:
    remove_stale_temps(path)
    remove_stale_temps(path.with_name(LOCKOUT_FILE_NAME))
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        if path.with_name(LOG_FILE_NAME).exists():
            raise StoreDamaged(
                "missing_keyfile", "The key file of the logbook is missing."
            ) from exc
        raise NoLogbook() from exc
    return KeyFile.parse(data)


def _checked_secret(keystore: KeyStore, keyfile: KeyFile) -> bytes:
    secret = keystore.device_secret()
    if secret_id(secret) != keyfile.device_id:
        raise StoreDamaged(
            "device_secret_mismatch",
            "This logbook was sealed with another device key; it cannot be opened here.",
        )
    return secret


def _derive_kek(pin: str, keyfile: KeyFile, secret: bytes) -> bytearray:
    return kdf.derive_kek(pin, keyfile.salt, keyfile.params, secret)


def _attempt(
    counter: LockoutCounter, pin: str, keyfile: KeyFile, secret: bytes
) -> tuple[bytearray, dict[int, bytearray]]:
    """One counted unlock attempt: refuse while locked out, count durably, then run the KDF."""
    counter.check()
    failures = counter.record_attempt()
    kek = _derive_kek(pin, keyfile, secret)
    newest = max(keyfile.wrapped)
    deks = {newest: keyfile.unwrap(kek, newest)}
    if deks[newest] is None:
        wipe(kek)
        raise WrongPin(attempts_left(failures), delay_after(failures))
    for generation in keyfile.wrapped:
        if generation != newest:
            deks[generation] = keyfile.unwrap(kek, generation)
    if any(dek is None for dek in deks.values()):
        wipe(kek)
        raise StoreDamaged("bad_keyfile", "The key file of the logbook is damaged.")
    counter.reset()
    return kek, deks
