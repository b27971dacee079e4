"""Deriving the key-encryption key (KEK) from the PIN and the device secret.

    stretched = scrypt(NFC-UTF-8(pin), salt, n, r, p, length=32)
    kek       = HKDF-SHA256(ikm=stretched, salt=device_secret, info=b"politikontakt/kek/v1")

scrypt makes each PIN guess expensive; the device secret (kept outside the data directory)
makes a copied data directory useless on its own. scrypt is used rather than Argon2id because
the OpenSSL in Flet's phone builds has no Argon2.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from .errors import StoreDamaged
from .pin_policy import normalize_pin

KEY_BYTES = 32
KEK_INFO = b"politikontakt/kek/v1"
MAX_N = 2**20
_PROBE_N = 2**14


@dataclass(frozen=True)
class KdfParams:
    """scrypt cost parameters, stored in the key-file header."""

    n: int
    r: int
    p: int

    FLOOR: ClassVar[KdfParams]

    @classmethod
    def calibrate(cls, target_seconds: float = 0.5) -> KdfParams:
        """Time a small scrypt here, extrapolate linearly in ``n`` and pick the largest power
        of two that stays within ``target_seconds``, clamped to [FLOOR.n, 2**20]."""
        started = time.perf_counter()
        Scrypt(salt=bytes(16), length=KEY_BYTES, n=_PROBE_N, r=8, p=1).derive(b"calibrate")
        elapsed = max(time.perf_counter() - started, 1e-6)
        estimate = _PROBE_N * target_seconds / elapsed
        n = cls.FLOOR.n
        while n * 2 <= min(estimate, MAX_N):
            n *= 2
        return cls(n=n, r=8, p=1)

    def check(self) -> None:
        """Refuse parameters weaker than FLOOR or absurd enough to exhaust memory."""
        if self.n < self.FLOOR.n or self.r < self.FLOOR.r or self.p < self.FLOOR.p:
            raise StoreDamaged(
                "weak_kdf", "The key file asks for a weaker PIN protection than allowed."
            )
        if self.n > MAX_N or self.n & (self.n - 1) or self.r > 32 or self.p > 16:
            raise StoreDamaged("bad_keyfile", "The key file holds unusable PIN parameters.")


KdfParams.FLOOR = KdfParams(n=2**15, r=8, p=1)


def derive_kek(pin: str, salt: bytes, params: KdfParams, device_secret: bytes) -> bytearray:
    """The 32-byte wrapping key for ``pin``; the caller wipes it when done."""
    params.check()
    stretched = Scrypt(salt=salt, length=KEY_BYTES, n=params.n, r=params.r, p=params.p).derive(
        normalize_pin(pin)
    )
    hkdf = HKDF(algorithm=SHA256(), length=KEY_BYTES, salt=device_secret, info=KEK_INFO)
    return bytearray(hkdf.derive(stretched))


def wipe(buffer: bytearray | None) -> None:
    """Overwrite key material in place (best effort: Python may hold other copies)."""
    if buffer is not None:
        buffer[:] = bytes(len(buffer))
