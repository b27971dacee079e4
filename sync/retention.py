"""Retention on the phone: once the backend has acknowledged a record, its personal details
older than the retention period (setting ``sync.retention_days``, default 90) are blanked, and
the store is compacted so that the old bytes cannot be read back from the file (the sealed
store rotates its data key at compaction)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from fieldapp.domain.retention import DEFAULT_RETENTION_DAYS, blank_personal, purge_due

log = logging.getLogger(__name__)


def purge_expired(lb: Any, now: datetime, days: int = DEFAULT_RETENTION_DAYS) -> list[str]:
    """Blank the personal details that are due; compact when anything was blanked."""
    due = lb.list(where=lambda r: purge_due(r, now, days))
    for record in due:
        lb.store_unversioned(blank_personal(record))
        log.info("sync.retention status=purged record=%s", record.id)
    if due:
        lb.compact()
    return [r.id for r in due]
