"""Retention on the phone: personal details of records the backend has acknowledged are
blanked once they are older than the retention period (default 90 days).

"Older" is measured from the record's last change (``updated_at``): a case the officer is still
working on keeps its details. Only personal fields (and the personal fields of nested actions
and timeline entries) are blanked; the shareable facts, the revision and the sync state stay,
so the record still counts in reports and is not sent again.
"""

from __future__ import annotations

import copy
import dataclasses
from datetime import datetime, timedelta
from typing import Any

from .codec import aware
from .codes import SyncState
from .records import Record
from .sensitivity import Sensitivity

DEFAULT_RETENTION_DAYS = 90


def _default_of(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return None


def _personal_fields(obj: Any) -> list[dataclasses.Field[Any]]:
    return [f for f in dataclasses.fields(obj)
            if f.metadata.get("sensitivity") is Sensitivity.PERSONAL]


def _nested(obj: Any) -> list[Any]:
    items: list[Any] = []
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, list):
            items.extend(v for v in value if dataclasses.is_dataclass(v))
    return items


def has_personal_details(obj: Any) -> bool:
    """True when any personal field (also nested) holds something other than its default."""
    for f in _personal_fields(obj):
        if getattr(obj, f.name) != _default_of(f):
            return True
    return any(has_personal_details(item) for item in _nested(obj))


def blank_personal(record: Record) -> Record:
    """A copy of the record with every personal field back at its default."""
    blank = copy.deepcopy(record)
    _blank_in_place(blank)
    return blank


def _blank_in_place(obj: Any) -> None:
    for f in _personal_fields(obj):
        setattr(obj, f.name, _default_of(f))
    for item in _nested(obj):
        _blank_in_place(item)


def purge_due(record: Record, now: datetime, days: int = DEFAULT_RETENTION_DAYS) -> bool:
    """Acknowledged by the backend, untouched for ``days`` and still holding personal details."""
    if record.sync_state != SyncState.SYNCED.value:
        return False
    if aware(record.updated_at) > now - timedelta(days=days):
        return False
    return has_personal_details(record)
