"""Politikontakt field app core: domain, sealed store and the Logbook facade.

Imports no flet and no requests (a test enforces it). The names below load lazily so that
``fieldapp.domain`` stays importable with the standard library alone (the backend uses it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the lazy names' real types, for the type checker only
    from .errors import LogbookClosed as LogbookClosed
    from .errors import RecordNotFound as RecordNotFound
    from .errors import StaleRecord as StaleRecord
    from .logbook import Logbook as Logbook
    from .store import KeyStore as KeyStore
    from .store import LockedOut as LockedOut
    from .store import LogbookExists as LogbookExists
    from .store import NoLogbook as NoLogbook
    from .store import PinRejected as PinRejected
    from .store import StoreDamaged as StoreDamaged
    from .store import WrongPin as WrongPin

_EXPORTS = {
    "Logbook": "fieldapp.logbook", "LogbookClosed": "fieldapp.errors",
    "RecordNotFound": "fieldapp.errors", "StaleRecord": "fieldapp.errors",
    "KeyStore": "fieldapp.store",  # the port a platform key store implements (views/device)
    "LockedOut": "fieldapp.store", "LogbookExists": "fieldapp.store",
    "NoLogbook": "fieldapp.store", "PinRejected": "fieldapp.store",
    "StoreDamaged": "fieldapp.store", "WrongPin": "fieldapp.store",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(importlib.import_module(module), name)
