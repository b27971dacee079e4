"""Small authenticated values kept in the key store, outside the data directory.

The key store only keeps bytes; what the store puts there (the lockout counter, the commit
anchor) is authenticated here::

    value = "PKV1" | HMAC-SHA256(mac key, name | 0x00 | body) | body (compact JSON)
    mac key = HKDF-SHA256(ikm = device secret, info = "politikontakt/key-store-values/v1"
                          | store id)

The store id is a random 16-byte id in the key-file header, stable for the life of a logbook,
so two logbooks on one machine (one key store) neither share nor swap values: the name and the
MAC key both depend on it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .errors import StoreDamaged
from .keystore import KeyStore

MAGIC = b"PKV1"
TAG_BYTES = 32
MAC_INFO = b"politikontakt/key-store-values/v1"
NAME_INFO = b"politikontakt/value-name/v1"


class BadValue(StoreDamaged):
    """A key-store value that is not one this store wrote (bad tag, format or content)."""

    def __init__(self) -> None:
        super().__init__("bad_key_store_value", "A value kept beside the device key is damaged.")


class ValueBox:
    """Reads and writes the authenticated values of one logbook (one store id)."""

    def __init__(self, keystore: KeyStore, device_secret: bytes, store_id: bytes) -> None:
        self.keystore = keystore
        self.store_id = store_id
        hkdf = HKDF(algorithm=SHA256(), length=32, salt=None, info=MAC_INFO + store_id)
        self._key = hkdf.derive(device_secret)

    def name(self, kind: str, scope: str = "") -> str:
        """The key-store name of value ``kind`` (e.g. ``lockout``) within ``scope``."""
        digest = hashlib.sha256(NAME_INFO + self.store_id + b"/" + scope.encode()).hexdigest()
        return f"pk-{digest[:24]}.{kind}"

    def read(self, kind: str, scope: str = "") -> dict[str, Any] | None:
        """The value, None when there is none; BadValue when it does not authenticate."""
        name = self.name(kind, scope)
        raw = self.keystore.read_value(name)
        if raw is None:
            return None
        if len(raw) < len(MAGIC) + TAG_BYTES or raw[: len(MAGIC)] != MAGIC:
            raise BadValue()
        tag, body = raw[len(MAGIC) : len(MAGIC) + TAG_BYTES], raw[len(MAGIC) + TAG_BYTES :]
        if not hmac.compare_digest(tag, self._tag(name, body)):
            raise BadValue()
        try:
            value = json.loads(body)
        except ValueError:
            raise BadValue() from None
        if not isinstance(value, dict):
            raise BadValue()
        return value

    def write(self, kind: str, value: dict[str, Any], scope: str = "") -> None:
        """Durably replace the value (the key store fsyncs before returning)."""
        name = self.name(kind, scope)
        body = json.dumps(value, separators=(",", ":"), sort_keys=True).encode()
        self.keystore.write_value(name, MAGIC + self._tag(name, body) + body)

    def _tag(self, name: str, body: bytes) -> bytes:
        return hmac.new(self._key, name.encode() + b"\0" + body, hashlib.sha256).digest()

    def __repr__(self) -> str:
        return "<ValueBox>"
