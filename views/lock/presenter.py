"""The sentence the officer reads when a PIN is refused or the logbook cannot open.

Built from the error's attributes (attempts_left, retry_after, reason), never its message.
"""

from __future__ import annotations

import logging
import math

import fieldapp
from fieldapp.device import KeyStoreUnavailable

from .. import strings

log = logging.getLogger(__name__)


def pin_error_text(exc: BaseException, lang: str = "nb") -> str:
    def t(key: str, **params: object) -> str:
        return strings.text(key, lang, **params)

    if isinstance(exc, fieldapp.LockedOut):
        return t("pin.locked_out", seconds=_seconds(exc.retry_after))
    if isinstance(exc, fieldapp.WrongPin):
        if exc.retry_after > 0:
            return t("pin.wrong_wait", seconds=_seconds(exc.retry_after))
        return t("pin.wrong_attempts", count=exc.attempts_left)
    if isinstance(exc, fieldapp.PinRejected):
        return _rejected(exc, t)
    if isinstance(exc, KeyStoreUnavailable):
        log.warning("key store unavailable: %s", exc.reason)
        return t("pin.keystore_unavailable")
    if isinstance(exc, fieldapp.StoreDamaged):
        shorter = exc.reason in ("rolled_back", "truncated", "missing_log")
        return t("pin.rolled_back" if shorter else "pin.damaged")
    if isinstance(exc, fieldapp.NoLogbook):
        return t("pin.no_logbook")
    if isinstance(exc, fieldapp.LogbookExists):
        return t("pin.exists")
    if type(exc).__name__ == "LogbookBusy":
        return t("pin.busy")
    log.error("logbook could not open: %s", type(exc).__name__)
    return t("pin.failed")


def _rejected(exc: fieldapp.PinRejected, t: strings.Translate) -> str:
    """Why a new PIN is refused: the trivial pattern's own sentence when there is one."""
    reason = getattr(exc, "reason", "")
    pattern = getattr(exc, "pattern", "")
    if reason == "trivial" and pattern and t("pin.rejected.trivial." + pattern) != (
            "pin.rejected.trivial." + pattern):
        return t("pin.rejected.trivial." + pattern)
    return t("pin.rejected." + reason) if reason in exc.REASONS else t("pin.rejected")


def _seconds(value: float) -> int:
    return max(1, math.ceil(value))
