"""The PIN policy: what a new PIN or passphrase must look like.

A PIN is at least 6 ASCII digits; anything containing another character is a passphrase of at
least 8 characters. Refused as trivial: one repeated digit (000000), ascending or descending
runs, also wrapping round (123456, 654321, 890123), and repeated short patterns (121212,
123123, 12341234). A passphrase of a single repeated character is trivial too.
"""

from __future__ import annotations

import unicodedata

from .errors import PinRejected

MIN_PIN_DIGITS = 6
MIN_PASSPHRASE_CHARS = 8
_ASCII_DIGITS = frozenset("0123456789")


def normalize_pin(pin: str) -> bytes:
    """The bytes that go into the KDF: NFC-normalised UTF-8, so that the same passphrase
    typed on different keyboards derives the same key."""
    return unicodedata.normalize("NFC", pin).encode("utf-8")


def check_pin_policy(pin: str) -> None:
    """Raise :class:`PinRejected` unless ``pin`` is an acceptable new PIN or passphrase."""
    if not isinstance(pin, str) or not pin.strip():
        raise PinRejected("not_digits_or_passphrase")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in pin):
        raise PinRejected("not_digits_or_passphrase")
    if set(pin) <= _ASCII_DIGITS:
        if len(pin) < MIN_PIN_DIGITS:
            raise PinRejected("too_short")
        if _is_run(pin) or _is_periodic(pin):
            raise PinRejected("trivial")
        return
    if len(pin) < MIN_PASSPHRASE_CHARS:
        raise PinRejected("too_short")
    if len(set(pin)) == 1:
        raise PinRejected("trivial")


def _is_run(digits: str) -> bool:
    """Every step is +1 (or every step is -1), modulo 10."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    return steps in ({1}, {9})


def _is_periodic(text: str) -> bool:
    """``text`` repeats a pattern of at most half its length (all-same digits included)."""
    return any(text[period:] == text[:-period] for period in range(1, len(text) // 2 + 1))
