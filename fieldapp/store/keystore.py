"""The device-secret port.

The wrapping key mixes the PIN with a 32-byte device secret kept *outside* the data
directory, so a copy of the data directory alone cannot be brute-forced over the 10^6
six-digit PINs. On the phone this port will be platform secure storage; here it is a 0600 file
in a 0700 directory (``FileKeyStore``), or memory for tests (``MemoryKeyStore``).
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from abc import ABC, abstractmethod
from pathlib import Path

from . import value_file
from .errors import StoreDamaged
from .files import atomic_create, ensure_private_dir

SECRET_BYTES = 32
ENV_KEYSTORE_DIR = "POLITIKONTAKT_KEYSTORE_DIR"
DEVICE_FILE_NAME = "device-secret"


class KeyStore(ABC):
    """Holds the device secret: 32 random bytes, created on first use and then stable; and,
    beside it, small named values the store keeps outside the data directory (the lockout
    counter, the commit anchor). The store authenticates those values itself: a key store
    only keeps bytes, and must never silently drop or reset them."""

    @abstractmethod
    def device_secret(self) -> bytes:
        """Return the device secret, creating it on the first call."""

    @abstractmethod
    def read_value(self, name: str) -> bytes | None:
        """The bytes last written under ``name`` (``[a-z0-9._-]{1,64}``), or None."""

    @abstractmethod
    def write_value(self, name: str, value: bytes) -> None:
        """Durably replace the bytes under ``name`` before returning."""


VALUE_NAME = re.compile(r"^[a-z0-9._-]{1,64}$")


def checked_name(name: str) -> str:
    if not VALUE_NAME.match(name) or name == DEVICE_FILE_NAME:
        raise ValueError("a key-store value name is [a-z0-9._-]{1,64}")
    return name


class MemoryKeyStore(KeyStore):
    """A device secret that lives as long as this object (tests, previews)."""

    def __init__(self, secret: bytes | None = None) -> None:
        if secret is not None and len(secret) != SECRET_BYTES:
            raise ValueError("a device secret is 32 bytes")
        self._secret = secret
        self._values: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def device_secret(self) -> bytes:
        with self._lock:
            if self._secret is None:
                self._secret = secrets.token_bytes(SECRET_BYTES)
            return self._secret

    def read_value(self, name: str) -> bytes | None:
        with self._lock:
            return self._values.get(checked_name(name))

    def write_value(self, name: str, value: bytes) -> None:
        with self._lock:
            self._values[checked_name(name)] = bytes(value)


class FileKeyStore(KeyStore):
    """The device secret in a 0600 file inside a 0700 directory, created atomically; each
    named value in a file of its own beside it, overwritten in place (:mod:`.value_file`)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def device_secret(self) -> bytes:
        with self._lock:
            secret = self._read()
            if secret is not None:
                return secret
            ensure_private_dir(self.path.parent)
            atomic_create(self.path, secrets.token_bytes(SECRET_BYTES))
            # Whoever won a creation race, the file now holds the one secret.
            secret = self._read()
            if secret is None:
                raise StoreDamaged("bad_device_secret", "The device secret could not be stored.")
            return secret

    def read_value(self, name: str) -> bytes | None:
        path = self.path.parent / checked_name(name)
        try:
            return value_file.read(path)
        except FileNotFoundError:
            return None
        except (OSError, value_file.DamagedValueFile) as exc:  # a folder in its place, no
            # permission, no whole slot: damage, said plainly
            raise StoreDamaged("bad_key_store_value",
                               "A value beside the device secret cannot be read.") from exc

    def write_value(self, name: str, value: bytes) -> None:
        with self._lock:
            ensure_private_dir(self.path.parent)
            try:
                value_file.write(self.path.parent / checked_name(name), bytes(value))
            except (IsADirectoryError, NotADirectoryError, PermissionError) as exc:
                raise StoreDamaged("bad_key_store_value",
                                   "A value beside the device secret cannot be written.") from exc

    def _read(self) -> bytes | None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if len(data) != SECRET_BYTES:
            raise StoreDamaged("bad_device_secret", "The device secret file is damaged.")
        return data

    def __repr__(self) -> str:
        return f"FileKeyStore({str(self.path)!r})"


def default_keystore(data_dir: str | os.PathLike[str]) -> FileKeyStore:
    """The file key store for this machine, always outside ``data_dir``.

    ``$POLITIKONTAKT_KEYSTORE_DIR/device-secret`` when that variable is set, otherwise
    ``$XDG_CONFIG_HOME/politikontakt/device-secret`` (``~/.config`` by default). If that
    path lies inside ``data_dir``, ``<data_dir>/../.<data_dir name>.keystore/device-secret``.
    """
    data = Path(data_dir).expanduser().resolve()
    override = os.environ.get(ENV_KEYSTORE_DIR)
    if override:
        secret_path = Path(override).expanduser() / DEVICE_FILE_NAME
    else:
        config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        secret_path = Path(config).expanduser() / "politikontakt" / DEVICE_FILE_NAME
    secret_path = secret_path.resolve()
    if secret_path.is_relative_to(data):
        secret_path = data.parent / f".{data.name}.keystore" / DEVICE_FILE_NAME
    return FileKeyStore(secret_path)
