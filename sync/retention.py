"""Retention on the phone: once the backend has acknowledged a record, its personal details
older than the retention period (``ledger.RETENTION_DAYS``, default 90) are blanked, and
the store is compacted so that the old bytes cannot be read back from the file (the sealed
store rotates its data key at compaction). Runs at most every 12 hours (``ledger.LAST_PURGE``)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from fieldapp.domain.retention import DEFAULT_RETENTION_DAYS, blank_personal, purge_due
from fieldapp.logbook import Logbook

from .ledger import Ledger

log = logging.getLogger(__name__)

PURGE_EVERY = timedelta(hours=12)


def purge_expired(lb: Logbook, now: datetime, days: int = DEFAULT_RETENTION_DAYS) -> list[str]:
    """Blank the personal details that are due; compact when anything was blanked."""
    purged = []
    for record in lb.list(where=lambda r: purge_due(r, now, days)):
        if lb.get(record.id).revision != record.revision:
            continue  # edited this very moment: it is no longer acknowledged anyway
        lb.sync_records.store_unversioned(blank_personal(record))
        purged.append(record.id)
        log.info("sync.retention status=purged record=%s", record.id)
    if purged:
        lb.compact()
    return purged


def purge_if_due(lb: Logbook, now: datetime) -> list[str]:
    """``purge_expired`` when the last purge is more than 12 hours old (or never ran)."""
    ledger = Ledger(lb)
    last = ledger.last_purge()
    try:
        recent = bool(last) and now - datetime.fromisoformat(last) < PURGE_EVERY
    except ValueError:
        recent = False
    if recent:
        return []
    purged = purge_expired(lb, now, ledger.retention_days(DEFAULT_RETENTION_DAYS))
    ledger.write(Ledger.last_purge_changes(now.isoformat()))
    return purged
