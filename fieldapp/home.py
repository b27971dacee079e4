"""A record's home municipality: filled in, or the record refused without one.

A consent takes its case's municipality; with one municipality served a new record gets it
(``fill``, on add only); with two or more served an empty municipality is a
``ValidationError`` (municipality: required), except for local-only kinds and a consent whose
case has one. With none served (first run) "" is kept.
"""

from __future__ import annotations

from .domain import Consent, CrisisContact, FieldError, Record, SyncState, ValidationError
from .domain.validation import validation_errors

LOCAL_ONLY_KINDS = {CrisisContact.kind}


def assign_home(record: Record, served: set[str], case_home: str, *, fill: bool) -> None:
    """``served``: the codes served; ``case_home``: a consent's case's municipality or ""."""
    if record.municipality:
        return
    if isinstance(record, Consent) and case_home:
        if fill:
            record.municipality = case_home
        return
    served = served - {""}
    if len(served) == 1 and fill:
        record.municipality = next(iter(served))
    elif len(served) >= 2 and record.kind not in LOCAL_ONLY_KINDS:
        raise ValidationError([*validation_errors(record),
                               FieldError("municipality", "required")])


def initial_sync_state(record: Record) -> str:
    """A new record waits to sync, except reference data kept on this phone only."""
    local = record.kind in LOCAL_ONLY_KINDS
    return SyncState.LOCAL_ONLY.value if local else SyncState.PENDING.value
