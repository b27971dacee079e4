"""Deriving the key-encryption key (KEK) from the PIN and the device secret.

    stretched = scrypt(NFC-UTF-8(pin), salt, n, r, p, length=32)
    kek       = HKDF-SHA256(ikm=stretched, salt=device_secret, info=b"politikontakt/kek/v1")

scrypt makes each PIN guess expensive; the device secret (kept outside the data directory)
makes a copied data directory useless on its own. scrypt is used rather than Argon2id because
the OpenSSL in Flet's phone builds has no Argon2.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
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
Timer = Callable[[int, int], float]


@dataclass(frozen=True)
class KdfParams:
    """scrypt cost parameters, stored in the key-file header."""

    n: int
    r: int
    p: int

    FLOOR: ClassVar[KdfParams]
    CALIBRATION_FLOOR: ClassVar[KdfParams]

    @classmethod
    def calibrate(
        cls, target_seconds: float = 0.5, *, probes: int = 3, timer: Timer | None = None
    ) -> KdfParams:
        """The largest power-of-two ``n`` (r=8, p=1) whose median time over ``probes`` runs
        stays within ``target_seconds``, starting at CALIBRATION_FLOOR and never below it.

        Each candidate is timed itself (no extrapolation from a small probe), and the median
        of several runs ignores one slow run; a busy machine can only make the result
        smaller, and the floor bounds how small."""
        timer = timer or time_scrypt
        n = cls.CALIBRATION_FLOOR.n
        r = cls.CALIBRATION_FLOOR.r
        seconds = statistics.median(timer(n, r) for _ in range(max(probes, 1)))
        while n * 2 <= MAX_N and seconds * 2 <= target_seconds:
            n *= 2
            seconds = statistics.median(timer(n, r) for _ in range(max(probes, 1)))
        return cls(n=n, r=r, p=1)

    def check(self) -> None:
        """Refuse parameters weaker than FLOOR or absurd enough to exhaust memory."""
        if self.n < self.FLOOR.n or self.r < self.FLOOR.r or self.p < self.FLOOR.p:
            raise StoreDamaged(
                "weak_kdf", "The key file asks for a weaker PIN protection than allowed."
            )
        if self.n > MAX_N or self.n & (self.n - 1) or self.r > 32 or self.p > 16:
            raise StoreDamaged("bad_keyfile", "The key file holds unusable PIN parameters.")


#: The weakest parameters a key file may name (older key files, fast tests).
KdfParams.FLOOR = KdfParams(n=2**15, r=8, p=1)
#: The weakest parameters calibration picks for a new key file or a PIN change: 128 MiB,
#: about 0.25 s a guess here, so a full search of 10^6 six-digit PINs costs about 70
#: core-hours *if* the attacker also holds the device secret (without it: 2^256 secrets).
KdfParams.CALIBRATION_FLOOR = KdfParams(n=2**17, r=8, p=1)


def time_scrypt(n: int, r: int) -> float:
    """Seconds for one scrypt derivation with these parameters, here and now."""
    started = time.perf_counter()
    Scrypt(salt=bytes(16), length=KEY_BYTES, n=n, r=r, p=1).derive(b"calibrate")
    return time.perf_counter() - started


def full_search_core_hours(seconds_per_guess: float, guesses: int = 10**6) -> float:
    """Core-hours to try every one of ``guesses`` PINs at ``seconds_per_guess`` each."""
    return seconds_per_guess * guesses / 3600


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
