"""Errors raised by the encrypted local store.

One tree for the whole store boundary. Third-party exceptions (cryptography, json, OSError
where it means damage) are translated where they enter, with ``raise ... from exc``.
Messages are plain English sentences and never contain record contents, PINs or keys; the
UI translates using the attributes, not the message.

::

    StoreError                      anything the store refuses or cannot do
    ├── WrongPin                    the PIN did not unwrap the key (attempts_left, retry_after)
    │   └── LockedOut               too many failures: wait retry_after seconds (no KDF ran)
    ├── PinRejected                 a new PIN breaks the policy (reason)
    ├── StoreDamaged                a file is damaged or was tampered with (reason)
    ├── NoLogbook                   there is no logbook at that place
    ├── LogbookExists               a logbook already exists there
    ├── LogbookBusy                 another process or handle has the logbook open
    └── VaultLocked                 the vault was locked; unlock again to continue
"""

from __future__ import annotations

__all__ = [
    "StoreError",
    "WrongPin",
    "LockedOut",
    "PinRejected",
    "StoreDamaged",
    "NoLogbook",
    "LogbookExists",
    "LogbookBusy",
    "VaultLocked",
]


class StoreError(Exception):
    """Base class of every error the store raises on purpose."""


class WrongPin(StoreError):
    """The PIN did not unwrap the data key.

    ``attempts_left`` counts the attempts before delays start; ``retry_after`` is the
    number of seconds to wait before the next attempt is allowed (0 when none).
    """

    def __init__(self, attempts_left: int, retry_after: float = 0.0, message: str = "") -> None:
        self.attempts_left = attempts_left
        self.retry_after = float(retry_after)
        if not message:
            message = f"The PIN is wrong. {attempts_left} attempts left before a delay."
            if retry_after > 0:
                message = f"The PIN is wrong. Try again in {retry_after:.0f} seconds."
        super().__init__(message)


class LockedOut(WrongPin):
    """Too many wrong PINs: no attempt is made until the delay has run out."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(
            0,
            retry_after,
            f"Too many wrong PINs. Try again in {max(retry_after, 0.0):.0f} seconds.",
        )


class PinRejected(StoreError):
    """A new PIN does not meet the PIN policy; ``reason`` says why."""

    REASONS = ("too_short", "not_digits_or_passphrase", "trivial")

    _MESSAGES = {
        "too_short": "The PIN is too short: use at least 6 digits or a passphrase "
        "of at least 8 characters.",
        "not_digits_or_passphrase": "Use either digits only or a passphrase made of "
        "printable characters.",
        "trivial": "The PIN is too easy to guess.",
    }

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(self._MESSAGES.get(reason, "The PIN is not allowed."))


class StoreDamaged(StoreError):
    """A store file is damaged or was changed outside the app.

    ``reason`` is a short code such as ``bad_tag``, ``bad_header``, ``bad_crc``,
    ``bad_length``, ``sequence_gap``, ``bad_keyfile``, ``keyfile_auth`` (edited key file; never
    counted as a wrong PIN), ``weak_kdf``, ``unreadable_log``, ``bad_key_store_value``, and for
    a log shorter or older than its commit anchor ``truncated``, ``rolled_back``,
    ``missing_log``. The file is left as it is.
    """

    def __init__(self, reason: str, message: str = "") -> None:
        self.reason = reason
        super().__init__(
            message
            or f"The logbook files are damaged and were left untouched (reason: {reason})."
        )


class NoLogbook(StoreError):
    """There is no logbook at the given place."""

    def __init__(self, message: str = "There is no logbook here yet.") -> None:
        super().__init__(message)


class LogbookExists(StoreError):
    """A logbook already exists at the given place."""

    def __init__(self, message: str = "A logbook already exists here.") -> None:
        super().__init__(message)


class LogbookBusy(StoreError):
    """The logbook file is already open elsewhere."""

    def __init__(self, message: str = "The logbook is already open in another window.") -> None:
        super().__init__(message)


class VaultLocked(StoreError):
    """The vault has dropped its keys."""

    def __init__(self, message: str = "The logbook is locked. Unlock it to continue.") -> None:
        super().__init__(message)
