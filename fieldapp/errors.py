"""The Logbook's own errors (the store's are in ``fieldapp/store/errors.py``).

    KeyError ── RecordNotFound        no record with that id
    ValueError ── StaleRecord         changed since it was read: read it again
    StoreError ── LogbookClosed       locked or closed: unlock again
"""

from __future__ import annotations

from .store import StoreError


class RecordNotFound(KeyError):
    """No record with that id."""


class StaleRecord(ValueError):
    """The record was changed by someone else after it was read: read it again."""


class LogbookClosed(StoreError):
    """The logbook is locked or closed: unlock it again."""
