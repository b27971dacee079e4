"""The key file ``vault.key``: KDF parameters, salt and the wrapped data keys.

Layout (big-endian), all of it plaintext but authenticated through the AES-GCM associated data::

    header   magic "PKVAULT1" | version u16 | scrypt n u32 | r u32 | p u32 | salt 16 bytes
             | device-secret id 8 bytes                                      (46 bytes)
    body     count u16, then per data key: generation u32 | nonce 12 | wrapped key 48
    trailer  CRC32 of header + body u32

A data key (DEK) is wrapped with AES-256-GCM under the KEK, a random 96-bit nonce and
associated data = header bytes + generation (u32), so changing the salt or the parameters in
the header makes every wrapped key fail. The device-secret id is a one-way fingerprint of the
device secret, so a lost key store is reported as such instead of as a wrong PIN.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .errors import StoreDamaged
from .kdf import KdfParams
from .nonces import new_nonce

MAGIC = b"PKVAULT1"
VERSION = 1
_HEADER = struct.Struct(">8sHIII16s8s")
_COUNT = struct.Struct(">H")
_ENTRY = struct.Struct(">I12s48s")
_CRC = struct.Struct(">I")


def secret_id(device_secret: bytes) -> bytes:
    """A fingerprint of the device secret; reveals nothing usable about a 256-bit secret."""
    return hashlib.sha256(b"politikontakt/device-secret-id/v1" + device_secret).digest()[:8]


@dataclass(frozen=True)
class KeyFile:
    params: KdfParams
    salt: bytes
    device_id: bytes
    wrapped: dict[int, tuple[bytes, bytes]] = field(default_factory=dict)
    version: int = VERSION

    def header(self) -> bytes:
        p = self.params
        return _HEADER.pack(MAGIC, self.version, p.n, p.r, p.p, self.salt, self.device_id)

    def aad(self, generation: int) -> bytes:
        return self.header() + struct.pack(">I", generation)

    def to_bytes(self) -> bytes:
        parts = [self.header(), _COUNT.pack(len(self.wrapped))]
        parts += [_ENTRY.pack(gen, *self.wrapped[gen]) for gen in sorted(self.wrapped)]
        body = b"".join(parts)
        return body + _CRC.pack(zlib.crc32(body))

    def with_wrapped(self, wrapped: dict[int, tuple[bytes, bytes]]) -> KeyFile:
        return KeyFile(self.params, self.salt, self.device_id, dict(wrapped), self.version)

    def wrap(self, kek: bytes | bytearray, generation: int, dek: bytes | bytearray) -> tuple:
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
        """Parse and check a key file; raise StoreDamaged for anything malformed or weak."""
        fixed = _HEADER.size + _COUNT.size
        if len(data) < fixed + _CRC.size or data[:8] != MAGIC:
            raise _bad_keyfile()
        (crc,) = _CRC.unpack_from(data, len(data) - _CRC.size)
        if zlib.crc32(data[: -_CRC.size]) != crc:
            raise _bad_keyfile()
        _magic, version, n, r, p, salt, device_id = _HEADER.unpack_from(data, 0)
        if version != VERSION:
            raise StoreDamaged(
                "unsupported_version", "The key file was written by a newer app version."
            )
        params = KdfParams(n=n, r=r, p=p)
        params.check()
        (count,) = _COUNT.unpack_from(data, _HEADER.size)
        if count == 0 or len(data) != fixed + count * _ENTRY.size + _CRC.size:
            raise _bad_keyfile()
        wrapped = {}
        for index in range(count):
            gen, nonce, key = _ENTRY.unpack_from(data, fixed + index * _ENTRY.size)
            wrapped[gen] = (nonce, key)
        if len(wrapped) != count:
            raise _bad_keyfile()
        return cls(params, salt, device_id, wrapped, version)


def _bad_keyfile() -> StoreDamaged:
    return StoreDamaged("bad_keyfile", "The key file of the logbook is damaged.")
