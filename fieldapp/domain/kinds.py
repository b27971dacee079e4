"""The registry of record kinds: every stored record type, by its ``kind``.

The codec decodes by it, the Logbook lists its tables from it and the backend accepts the kinds
in it. It sits above ``records`` and ``meetings`` so that neither has to import the other: a
new record type is registered here and nowhere else.
"""

from __future__ import annotations

from .meetings import Meeting
from .records import (
    Consent,
    CrisisCallout,
    CrisisContact,
    FollowUpCase,
    Observation,
    Record,
    SchoolVisit,
)

RECORD_TYPES: tuple[type[Record], ...] = (
    SchoolVisit, Observation, FollowUpCase, Consent, CrisisCallout, CrisisContact, Meeting,
)
RECORD_TYPES_BY_KIND: dict[str, type[Record]] = {t.kind: t for t in RECORD_TYPES}
