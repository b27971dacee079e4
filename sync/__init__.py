"""Sync with the municipal backend: consent-gated outbox, requests client, wire protocol.

    from sync import enrol, sync_now
    enrol(lb, "https://slt.kommune.no", "ABCD-EFGH-JKMN")
    report = sync_now(lb)        # report.sent, report.withheld, report.failed, ...

Names load lazily so that ``sync.protocol`` (shared with the backend in ``sync.server``)
imports neither requests nor the phone's store.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "enrol": "sync.enrolment", "enrolments": "sync.enrolment", "forget": "sync.enrolment",
    "Enrolment": "sync.enrolment",
    "sync_now": "sync.client", "SyncReport": "sync.client",
    "preview": "sync.status", "sync_status": "sync.status",
    "AutoSync": "sync.auto", "RecordTrigger": "sync.auto",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(importlib.import_module(module), name)
