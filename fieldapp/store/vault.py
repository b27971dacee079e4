"""The vault: the data keys of one logbook, wrapped by a PIN-derived key.

Key hierarchy::

    PIN ──scrypt(salt, n, r, p)──┐
                                 ├─ HKDF-SHA256(salt = device secret,
    device secret (KeyStore) ────┘              info = "politikontakt/kek/v1") = KEK
    KEK ──AES-256-GCM wrap (AAD = key-file header + generation)──> DEK per generation

The DEK encrypts the sealed log. There is no stored PIN hash: a wrong PIN shows up as the
AES-GCM unwrap failing. A new DEK generation is made at every compaction (``begin_rotation`` /
``finish_rotation``), so bytes purged by a compaction cannot be decrypted any more. Changing
the PIN re-wraps the DEKs under a new salt (and freshly calibrated, never weaker, KDF
parameters) and leaves the log bytes untouched.

Beside the device secret, the key store keeps this logbook's lockout counter and commit anchor
as authenticated values (:mod:`fieldapp.store.values`), named by the store id in the key file.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .access import (
    KEY_FILE_NAME,
    LEGACY_LOCKOUT_FILE_NAME,
    LOG_FILE_NAME,
    attempt,
    checked_secret,
    counter_for,
    derive_kek,
    lockout_counter,
    read_keyfile,
)
from .errors import LogbookExists, VaultLocked
from .files import atomic_create, atomic_replace, ensure_private_dir, remove_stale_temps
from .kdf import KdfParams, wipe
from .keyfile import LEGACY_VERSION, KeyFile, mac_key, secret_id
from .keystore import KeyStore
from .lockout import LockoutCounter
from .pin_policy import check_pin_policy
from .values import ValueBox

__all__ = ["KEY_FILE_NAME", "LOG_FILE_NAME", "Vault", "lockout_counter"]

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
        secret: bytes,
        monotonic: Clock = time.monotonic,
    ) -> None:
        self.data_dir = data_dir
        self._keyfile = keyfile
        self._kek: bytearray | None = kek
        self._deks = deks
        self._keystore = keystore
        self._clock = clock
        self._monotonic = monotonic
        self._file_key = mac_key(secret)
        #: This logbook's authenticated values in the key store (lockout counter, anchor).
        self.values = ValueBox(keystore, secret, keyfile.store_id)
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
        params = _checked_params(kdf or KdfParams.calibrate())
        ensure_private_dir(data_dir)
        secret = keystore.device_secret()
        keyfile = KeyFile(params, secrets.token_bytes(SALT_BYTES), secret_id(secret))
        # The counter exists before the key file does: from then on a missing one is tampering.
        LockoutCounter(ValueBox(keystore, secret, keyfile.store_id), clock).reset()
        kek = derive_kek(pin, keyfile, secret)
        dek = bytearray(secrets.token_bytes(DEK_BYTES))
        keyfile = keyfile.with_wrapped({1: keyfile.wrap(kek, 1, dek)})
        if not atomic_create(key_path, keyfile.to_bytes(mac_key(secret))):
            wipe(kek)
            wipe(dek)
            raise LogbookExists()
        return cls(data_dir, keyfile, kek, {1: dek}, keystore, clock, secret)

    @classmethod
    def unlock(
        cls,
        data_dir: str | os.PathLike[str],
        pin: str,
        keystore: KeyStore,
        *,
        clock: Clock = time.time,
        monotonic: Clock = time.monotonic,
    ) -> Vault:
        """Open the vault with ``pin``. Raises NoLogbook, LockedOut, WrongPin, StoreDamaged.

        ``clock`` is the wall clock, ``monotonic`` a clock that setting the time does not
        move (see :mod:`fieldapp.store.lockout`); tests inject both."""
        data_dir = Path(data_dir)
        key_path = data_dir / KEY_FILE_NAME
        remove_stale_temps(key_path)
        remove_stale_temps(data_dir / LEGACY_LOCKOUT_FILE_NAME)
        keyfile = read_keyfile(key_path)
        secret = checked_secret(keystore, keyfile)
        box = ValueBox(keystore, secret, keyfile.store_id)
        counter = counter_for(data_dir, keyfile, box, clock, monotonic)
        kek, deks = attempt(counter, pin, keyfile, secret)
        vault = cls(data_dir, keyfile, kek, deks, keystore, clock, secret, monotonic)
        if keyfile.version == LEGACY_VERSION:
            vault._upgrade(counter)
        return vault

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
            kek = self._require_unlocked()
            generation = max(self._deks) + 1
            dek = bytearray(secrets.token_bytes(DEK_BYTES))
            wrapped = dict(self._keyfile.wrapped)
            wrapped[generation] = self._keyfile.wrap(kek, generation, dek)
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

        ``old_pin`` is checked again (it counts towards the lockout). ``kdf=None`` calibrates
        again on this device, keeping the current parameters if those are stronger.
        """
        check_pin_policy(new_pin)
        with self._lock:
            self._require_unlocked()
            secret = checked_secret(self._keystore, self._keyfile)
            counter = LockoutCounter(self.values, self._clock, self._monotonic)
            old_kek, old_deks = attempt(counter, old_pin, self._keyfile, secret)
            wipe(old_kek)
            for dek in old_deks.values():
                wipe(dek)
            params = _checked_params(kdf or _stronger(KdfParams.calibrate(), self.kdf_params))
            fresh = KeyFile(params, secrets.token_bytes(SALT_BYTES), secret_id(secret),
                            self._keyfile.store_id)
            new_kek = derive_kek(new_pin, fresh, secret)
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

    def _require_unlocked(self) -> bytearray:
        """The KEK; refused once the vault is locked."""
        if self._kek is None:
            raise VaultLocked()
        return self._kek

    def _store(self, keyfile: KeyFile) -> None:
        atomic_replace(self.key_path, keyfile.to_bytes(self._file_key))
        self._keyfile = keyfile

    def _upgrade(self, old_counter: LockoutCounter) -> None:
        """Rewrite a version-1 key file as version 2 (store id, HMAC); retire its counter."""
        fresh = self._keyfile.upgraded()
        kek = self._require_unlocked()
        wrapped = {g: fresh.wrap(kek, g, dek) for g, dek in self._deks.items()}
        values = ValueBox(self._keystore, self._keystore.device_secret(), fresh.store_id)
        LockoutCounter(values, self._clock, self._monotonic).reset()
        self._store(fresh.with_wrapped(wrapped))
        self.values = values
        old_counter.retire()
        (self.data_dir / LEGACY_LOCKOUT_FILE_NAME).unlink(missing_ok=True)

    def __repr__(self) -> str:
        state = "locked" if self.is_locked else "unlocked"
        return f"<Vault {state}>"


def _checked_params(params: KdfParams) -> KdfParams:
    if params.n < KdfParams.FLOOR.n or params.r < KdfParams.FLOOR.r:
        raise ValueError("KDF parameters below the floor")
    params.check()
    return params


def _stronger(calibrated: KdfParams, current: KdfParams) -> KdfParams:
    """Never weaken a key file because a busy moment calibrated low."""
    return current if (current.n * current.r, current.p) > (calibrated.n * calibrated.r,
                                                            calibrated.p) else calibrated

