"""Retention on the phone: once the backend has acknowledged a record, its personal details
older than the retention period (setting ``sync.retention_days``, default 90) are blanked, and
the store is compacted so that the old bytes cannot be read back from the file (the sealed
store rotates its data key at compaction). Runs at most every 12 hours (``sync.last_purge``)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from fieldapp.domain.retention import DEFAULT_RETENTION_DAYS, blank_personal, purge_due

log = logging.getLogger(__name__)

LAST_PURGE = "sync.last_purge"
PURGE_EVERY = timedelta(hours=12)


def purge_expired(lb: Any, now: datetime, days: int = DEFAULT_RETENTION_DAYS) -> list[str]:
    """Blank the personal details that are due; compact when anything was blanked."""
    purged = []
    for record in lb.list(where=lambda r: purge_due(r, now, days)):
        if lb.get(record.id).revision != record.revision:
            continue  # edited this very moment: it is no longer acknowledged anyway
        lb.store_unversioned(blank_personal(record))
        purged.append(record.id)
        log.info("sync.retention status=purged record=%s", record.id)
    if purged:
        lb.compact()
    return purged


def purge_if_due(lb: Any, now: datetime) -> list[str]:
    """``purge_expired`` when the last purge is more than 12 hours old (or never ran)."""
    last = lb.get_setting(LAST_PURGE)
    if last and now - datetime.fromisoformat(last) < PURGE_EVERY:
        return []
    days = int(lb.get_setting("sync.retention_days", DEFAULT_RETENTION_DAYS))
    purged = purge_expired(lb, now, days)
    lb.set_setting(LAST_PURGE, now.isoformat())
    return purged
