"""Sync's bookkeeping in the sealed store: the one owner of the ``sync.*`` settings.

    ledger = Ledger(lb)
    ledger.enrolments_raw(); ledger.outbox_notes(); ledger.shared_cases(); ledger.reviewed()
    ledger.last_run(); ledger.last_purge(); ledger.school_ids()
    lb.sync_records.set_states(changes, settings=ledger.outbox_changes(notes, shared))

Reading never fails on an odd stored value: it reads as the default. Writes that belong
together go through one ``settings`` mapping (``*_changes``) so they land in one durable write.
"""

from __future__ import annotations

from typing import Any, Protocol

from fieldapp.repositories import SettingsDocument

ENROLMENTS = "sync.enrolments"      # [asdict(Enrolment), ...]
OUTBOX = "sync.outbox"              # {record id: {"state", "attempts", "next_at", "reason"...}}
SHARED_CASES = "sync.shared_cases"  # [case id, ...] the backend holds
REVIEWED = "sync.reviewed"          # {record id: [personal field, ...]} sent after a look
LAST_RUN = "sync.last_run"          # SyncReport.summary()
LAST_PURGE = "sync.last_purge"      # ISO time of the last retention purge
SCHOOL_IDS = "sync.reference.schools"  # {backend url: {school id: name}}
BATCH_SIZE = "sync.batch_size"
RETENTION_DAYS = "sync.retention_days"


class HasSettings(Protocol):
    settings: SettingsDocument


class Ledger:
    def __init__(self, lb: HasSettings) -> None:
        self._settings = lb.settings

    # -- reading --

    def enrolments_raw(self) -> list[dict[str, Any]]:
        return [e for e in self._list(ENROLMENTS) if isinstance(e, dict)]

    def outbox_notes(self) -> dict[str, dict[str, Any]]:
        raw = self._settings.get(OUTBOX, {})
        return {str(k): v for k, v in raw.items() if isinstance(v, dict)} \
            if isinstance(raw, dict) else {}

    def shared_cases(self) -> list[str]:
        return [c for c in self._list(SHARED_CASES) if isinstance(c, str)]

    def reviewed(self) -> dict[str, list[str]]:
        """Per record, the personal fields the officer has sent from the Synk screen."""
        raw = self._settings.get(REVIEWED, {})
        if not isinstance(raw, dict):
            return {}
        return {str(k): [f for f in v if isinstance(f, str)]
                for k, v in raw.items() if isinstance(v, list)}

    def last_run(self) -> dict[str, Any] | None:
        raw = self._settings.get(LAST_RUN)
        return raw if isinstance(raw, dict) else None

    def last_purge(self) -> str:
        raw = self._settings.get(LAST_PURGE, "")
        return raw if isinstance(raw, str) else ""

    def school_ids(self) -> dict[str, dict[str, str]]:
        raw = self._settings.get(SCHOOL_IDS, {})
        if not isinstance(raw, dict):
            return {}
        return {str(url): {str(k): str(v) for k, v in ids.items()}
                for url, ids in raw.items() if isinstance(ids, dict)}

    def batch_size(self, default: int) -> int:
        return self._number(BATCH_SIZE, default)

    def retention_days(self, default: int) -> int:
        return self._number(RETENTION_DAYS, default)

    # -- writing (each call is one durable write) --

    def write(self, changes: dict[str, Any]) -> None:
        self._settings.write(changes)

    @staticmethod
    def enrolments_changes(items: list[dict[str, Any]]) -> dict[str, Any]:
        return {ENROLMENTS: items}

    @staticmethod
    def outbox_changes(notes: dict[str, Any], shared: list[str],
                       reviewed: dict[str, list[str]] | None = None) -> dict[str, Any]:
        changes: dict[str, Any] = {OUTBOX: notes, SHARED_CASES: shared}
        if reviewed is not None:
            changes[REVIEWED] = reviewed
        return changes

    @staticmethod
    def last_run_changes(summary: dict[str, Any]) -> dict[str, Any]:
        return {LAST_RUN: summary}

    @staticmethod
    def last_purge_changes(iso: str) -> dict[str, Any]:
        return {LAST_PURGE: iso}

    @staticmethod
    def school_ids_changes(ids: dict[str, dict[str, str]]) -> dict[str, Any]:
        return {SCHOOL_IDS: ids}

    def set_retention_days(self, days: int) -> None:
        self._settings.write({RETENTION_DAYS: int(days)})

    def set_batch_size(self, size: int) -> None:
        self._settings.write({BATCH_SIZE: int(size)})

    # -- helpers --

    def _list(self, key: str) -> list[Any]:
        raw = self._settings.get(key, [])
        return raw if isinstance(raw, list) else []

    def _number(self, key: str, default: int) -> int:
        raw = self._settings.get(key, default)
        return raw if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0 else default
