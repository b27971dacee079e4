"""The key file ``vault.key``: KDF parameters, salt, store id and the wrapped data keys.

Layout of version 2 (big-endian), all of it plaintext but authenticated twice::

    header   magic "PKVAULT1" | version u16 = 2 | scrypt n u32 | r u32 | p u32 | salt 16
             | device-secret id 8 | store id 16                                 (62 bytes)
    body     count u16, then per data key: generation u32 | nonce 12 | wrapped key 48
    auth     HMAC-SHA256(HKDF(device secret, "politikontakt/keyfile-mac/v1"), header + body)
    trailer  CRC32 of everything before u32

A data key (DEK) is wrapped with AES-256-GCM under the KEK, a random 96-bit nonce and
associated data = header bytes + generation (u32), so changing the salt or the parameters in
the header makes every wrapped key fail. The HMAC, keyed by the device secret and checked
before any PIN is tried, tells a damaged or edited key file (``StoreDamaged``, not counted as a
failed attempt) from a wrong PIN (the AES-GCM tag failing on an authentic key file). The
device-secret id is a one-way fingerprint of the device secret, so a lost key store is
reported as such. The store id names this logbook's values in the key store.

Version 1 (46-byte header without store id, no HMAC, CRC only) is still read; the vault
rewrites it as version 2 after the first successful unlock.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import struct
import zlib
from dataclasses import dataclass, field, replace

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .errors import StoreDamaged
from .kdf import KdfParams
from .nonces import new_nonce

MAGIC = b"PKVAULT1"
VERSION = 2
LEGACY_VERSION = 1
STORE_ID_BYTES = 16
_HEADERS = {1: struct.Struct(">8sHIII16s8s"), 2: struct.Struct(">8sHIII16s8s16s")}
_COUNT = struct.Struct(">H")
_ENTRY = struct.Struct(">I12s48s")
_CRC = struct.Struct(">I")
_MAC_BYTES = 32
MAC_INFO = b"politikontakt/keyfile-mac/v1"


def secret_id(device_secret: bytes) -> bytes:
    """A fingerprint of the device secret; reveals nothing usable about a 256-bit secret."""
    return hashlib.sha256(b"politikontakt/device-secret-id/v1" + device_secret).digest()[:8]


def mac_key(device_secret: bytes) -> bytes:
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=MAC_INFO).derive(device_secret)


@dataclass(frozen=True)
class KeyFile:
    params: KdfParams
    salt: bytes
    device_id: bytes
    store_id: bytes = field(default_factory=lambda: secrets.token_bytes(STORE_ID_BYTES))
    wrapped: dict[int, tuple[bytes, bytes]] = field(default_factory=dict)
    version: int = VERSION
    #: The HMAC read from a version-2 file and the bytes it covers (checked by ``verify``).
    auth: tuple[bytes, bytes] | None = field(default=None, compare=False, repr=False)

    def header(self) -> bytes:
        p = self.params
        fields = [MAGIC, self.version, p.n, p.r, p.p, self.salt, self.device_id]
        if self.version != LEGACY_VERSION:
            fields.append(self.store_id)
        return _HEADERS[self.version].pack(*fields)

    def aad(self, generation: int) -> bytes:
        return self.header() + struct.pack(">I", generation)

    def to_bytes(self, key: bytes) -> bytes:
        """The file bytes (always version 2), authenticated with ``key`` (see ``mac_key``)."""
        if self.version != VERSION:
            raise ValueError("only the current key-file version is written")
        parts = [self.header(), _COUNT.pack(len(self.wrapped))]
        parts += [_ENTRY.pack(gen, *self.wrapped[gen]) for gen in sorted(self.wrapped)]
        body = b"".join(parts)
        body += hmac.new(key, body, hashlib.sha256).digest()
        return body + _CRC.pack(zlib.crc32(body))

    def with_wrapped(self, wrapped: dict[int, tuple[bytes, bytes]]) -> KeyFile:
        return replace(self, wrapped=dict(wrapped), auth=None)

    def upgraded(self) -> KeyFile:
        """A version-2 copy with a fresh store id and nothing wrapped yet (re-wrap after)."""
        return KeyFile(self.params, self.salt, self.device_id)

    def verify(self, key: bytes) -> None:
        """Refuse a version-2 file whose HMAC does not check out: damage, not a wrong PIN."""
        if self.version == LEGACY_VERSION or self.auth is None:
            return  # v1: CRC only, rewritten at the next unlock; None: built here, not read
        tag, signed = self.auth
        if not hmac.compare_digest(tag, hmac.new(key, signed, hashlib.sha256).digest()):
            raise StoreDamaged("keyfile_auth", "The key file of the logbook was altered.")

    def wrap(self, kek: bytes | bytearray, generation: int,
             dek: bytes | bytearray) -> tuple[bytes, bytes]:
        nonce = new_nonce()
        return nonce, AESGCM(bytes(kek)).encrypt(nonce, bytes(dek), self.aad(generation))

    def unwrap(self, kek: bytes | bytearray, generation: int) -> bytearray | None:
        """The data key of ``generation``, or None when the KEK is not the right one."""
        nonce, wrapped = self.wrapped[generation]
        try:
            return bytearray(AESGCM(bytes(kek)).decrypt(nonce, wrapped, self.aad(generation)))
        except InvalidTag:
            return None

    @classmethod
    def parse(cls, data: bytes) -> KeyFile:
        """Parse and check a key file's structure; raise StoreDamaged for anything malformed
        or weak. The HMAC is checked separately by ``verify`` (it needs the device secret)."""
        if len(data) < 10 + _CRC.size or data[:8] != MAGIC:
            raise _bad_keyfile()
        (crc,) = _CRC.unpack_from(data, len(data) - _CRC.size)
        if zlib.crc32(data[: -_CRC.size]) != crc:
            raise _bad_keyfile()
        (version,) = struct.unpack_from(">H", data, 8)
        if version not in _HEADERS:
            raise StoreDamaged(
                "unsupported_version", "The key file was written by a newer app version."
            )
        header = _HEADERS[version]
        mac_bytes = _MAC_BYTES if version != LEGACY_VERSION else 0
        fixed = header.size + _COUNT.size
        if len(data) < fixed + mac_bytes + _CRC.size:
            raise _bad_keyfile()
        _magic, _v, n, r, p, salt, device_id, *store_id = header.unpack_from(data, 0)
        params = KdfParams(n=n, r=r, p=p)
        params.check()
        (count,) = _COUNT.unpack_from(data, header.size)
        end = fixed + count * _ENTRY.size
        if count == 0 or len(data) != end + mac_bytes + _CRC.size:
            raise _bad_keyfile()
        entries = (_ENTRY.unpack_from(data, fixed + i * _ENTRY.size) for i in range(count))
        wrapped = {gen: (nonce, key) for gen, nonce, key in entries}
        if len(wrapped) != count:
            raise _bad_keyfile()
        auth = (data[end : end + mac_bytes], data[:end]) if mac_bytes else None
        store = store_id[0] if store_id else _legacy_store_id(salt, device_id)
        return cls(params, salt, device_id, store, wrapped, version, auth)


def _legacy_store_id(salt: bytes, device_id: bytes) -> bytes:
    """Version 1 has no store id: one derived from its salt names its values until upgraded."""
    return hashlib.sha256(b"politikontakt/legacy-store-id/v1" + salt + device_id).digest()[:16]


def _bad_keyfile() -> StoreDamaged:
    return StoreDamaged("bad_keyfile", "The key file of the logbook is damaged.")
