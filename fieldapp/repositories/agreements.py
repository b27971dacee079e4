"""The cooperation agreements stored on the phone, and where each came from: ``lb.agreements``.

    lb.agreements.all()                        # {code: Agreement}, unreadable entries left out
    lb.agreements.get("1122")                  # the stored one, else the signed default, else None
    lb.agreements.save(agreement, "local", now)   # one durable write
    lb.agreements.reset("1122")                # the signed agreement counts again

A save from the phone ("local") also adds the agreement's schools to its municipality's
school list, in the same write, so check-in offers them; a save of what the municipal backend
sent ("backend") leaves the schools to the backend's own school list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fieldapp.domain.agreement import (
    SOURCES,
    Agreement,
    agreement_for,
    agreements_from_json,
    with_agreement,
    without_agreement,
)

from .municipalities import ServedMunicipalities
from .settings import SettingsDocument

KEY = "agreements"  # [agreement_to_json(a), ...]
SOURCES_KEY = "agreement_sources"  # {code: {"source": "local"|"backend", "at": iso}}


@dataclass(frozen=True)
class AgreementSource:
    """Edited on the phone ("local") or synced down from the backend ("backend"), and when."""

    source: str
    at: str


class Agreements:
    def __init__(self, settings: SettingsDocument, served: ServedMunicipalities) -> None:
        self._settings = settings
        self._served = served

    def all(self) -> dict[str, Agreement]:
        """Stored agreements by municipality code (defaults not included)."""
        return agreements_from_json(self._stored())

    def get(self, code: str) -> Agreement | None:
        """The stored agreement of a municipality, else its signed default, else None."""
        return agreement_for(code, self.all())

    def sources(self) -> dict[str, AgreementSource]:
        raw = self._settings.get(SOURCES_KEY, {})
        out: dict[str, AgreementSource] = {}
        for code, entry in (raw.items() if isinstance(raw, dict) else ()):
            if isinstance(entry, dict) and entry.get("source") in SOURCES:
                out[str(code)] = AgreementSource(str(entry["source"]), str(entry.get("at", "")))
        return out

    def source(self, code: str) -> AgreementSource | None:
        return self.sources().get(code)

    def save(self, agreement: Agreement, source: str, at: datetime) -> None:
        """Store ``agreement`` for its municipality (replacing one there), with its source."""
        if source not in SOURCES:
            raise ValueError("unknown agreement source")
        code = agreement.municipality
        changes: dict[str, Any] = {
            KEY: with_agreement(self._stored(), agreement),
            SOURCES_KEY: {**self._raw_sources(), code: {"source": source,
                                                       "at": at.isoformat()}},
        }
        if source == "local":
            names = [s.name for s in agreement.schools]
            served = [m.with_schools(names) if m.code == code else m for m in self._served.all()]
            changes.update(self._served.changes_for(served))
        self._settings.write(changes)

    def reset(self, code: str) -> None:
        """Forget the stored agreement and its source (one write)."""
        sources = self._raw_sources()
        sources.pop(code, None)
        self._settings.write({KEY: without_agreement(self._stored(), code),
                              SOURCES_KEY: sources})

    def _stored(self) -> list[Any]:
        raw = self._settings.get(KEY, [])
        return raw if isinstance(raw, list) else []

    def _raw_sources(self) -> dict[str, Any]:
        raw = self._settings.get(SOURCES_KEY, {})
        return dict(raw) if isinstance(raw, dict) else {}
