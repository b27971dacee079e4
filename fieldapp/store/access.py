"""Reading the key file and making one counted unlock attempt (used by the vault).

Order of checks on unlock, so that only a wrong PIN counts as a failed attempt:

1. the key file's structure and CRC (``bad_keyfile``), its KDF parameters (``weak_kdf``);
2. the device-secret id (``device_secret_mismatch``), then the key file's HMAC keyed by the
   device secret (``keyfile_auth``): anything edited, even with the CRC fixed up, stops here;
3. the lockout counter (``LockedOut``), counted durably *before* the KDF runs;
4. the KDF and the AES-GCM unwrap: a failing tag on an authentic key file is a wrong PIN.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from . import kdf
from .errors import NoLogbook, StoreDamaged, WrongPin
from .kdf import wipe
from .keyfile import LEGACY_VERSION, KeyFile, mac_key, secret_id
from .keystore import KeyStore
from .lockout import Clock, LockoutCounter, attempts_left, delay_after
from .values import ValueBox

KEY_FILE_NAME = "vault.key"
LEGACY_LOCKOUT_FILE_NAME = "lockout.json"
LOG_FILE_NAME = "logbook.sealed"


def read_keyfile(path: Path) -> KeyFile:
    """Parse ``path``; NoLogbook when there is none, StoreDamaged when it cannot be one."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        if path.with_name(LOG_FILE_NAME).exists():
            raise StoreDamaged(
                "missing_keyfile", "The key file of the logbook is missing."
            ) from exc
        raise NoLogbook() from exc
    except OSError as exc:  # a folder in its place, no permission
        raise StoreDamaged("bad_keyfile", "The key file of the logbook cannot be read.") from exc
    return KeyFile.parse(data)


def checked_secret(keystore: KeyStore, keyfile: KeyFile) -> bytes:
    """The device secret, after checking that it is the one the key file was made with and
    that the key file is authentic."""
    secret = keystore.device_secret()
    if secret_id(secret) != keyfile.device_id:
        raise StoreDamaged(
            "device_secret_mismatch",
            "This logbook was sealed with another device key; it cannot be opened here.",
        )
    keyfile.verify(mac_key(secret))
    return secret


def counter_for(data_dir: Path, keyfile: KeyFile, box: ValueBox, clock: Clock,
                monotonic: Clock) -> LockoutCounter:
    legacy = data_dir / LEGACY_LOCKOUT_FILE_NAME if keyfile.version == LEGACY_VERSION else None
    return LockoutCounter(box, clock, monotonic, legacy_file=legacy)


def derive_kek(pin: str, keyfile: KeyFile, secret: bytes) -> bytearray:
    return kdf.derive_kek(pin, keyfile.salt, keyfile.params, secret)


def attempt(
    counter: LockoutCounter, pin: str, keyfile: KeyFile, secret: bytes
) -> tuple[bytearray, dict[int, bytearray]]:
    """One counted unlock attempt: refuse while locked out, count durably, then run the KDF."""
    counter.check()
    failures = counter.record_attempt()
    kek = derive_kek(pin, keyfile, secret)
    newest = max(keyfile.wrapped)
    unwrapped = {newest: keyfile.unwrap(kek, newest)}
    if unwrapped[newest] is None:
        wipe(kek)
        raise WrongPin(attempts_left(failures), delay_after(failures))
    for generation in keyfile.wrapped:
        if generation != newest:
            unwrapped[generation] = keyfile.unwrap(kek, generation)
    deks = {g: dek for g, dek in unwrapped.items() if dek is not None}
    if len(deks) != len(unwrapped):
        wipe(kek)
        for dek in deks.values():
            wipe(dek)
        raise StoreDamaged("bad_keyfile", "The key file of the logbook is damaged.")
    counter.reset()
    return kek, deks


def lockout_counter(
    data_dir: str | os.PathLike[str],
    keystore: KeyStore,
    *,
    clock: Clock = time.time,
    monotonic: Clock = time.monotonic,
) -> LockoutCounter:
    """The lockout counter of the logbook in ``data_dir`` (e.g. to show the wait before the
    PIN pad). Raises NoLogbook or StoreDamaged like :meth:`Vault.unlock`."""
    data_dir = Path(data_dir)
    keyfile = read_keyfile(data_dir / KEY_FILE_NAME)
    secret = checked_secret(keystore, keyfile)
    box = ValueBox(keystore, secret, keyfile.store_id)
    return counter_for(data_dir, keyfile, box, clock, monotonic)
