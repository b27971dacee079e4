"""Politikontakt field app core: domain, sealed store and the Logbook facade.

Imports no flet and no requests (a test enforces it). The names below load lazily so that
``fieldapp.domain`` stays importable with the standard library alone (the backend uses it).
"""

from __future__ import annotations

import importlib
from typing import Any

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
