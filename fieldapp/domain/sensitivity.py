"""Field sensitivity: declared once on every record field, read by UI, sync and server alike.

``SHAREABLE`` fields are non-personal facts (times, places, categories, counts, status).
``PERSONAL`` fields are names, birth dates, identity numbers, phone numbers, addresses,
descriptions of a person and free text that may be about a person. A personal field marked
``free_text`` may be released when the officer has marked the record's text free of personal
data and the detector finds nothing (see ``fieldapp.domain.identity``).
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any


class Sensitivity(enum.StrEnum):
    SHAREABLE = "shareable"
    PERSONAL = "personal"


def shareable(**kwargs: Any) -> Any:
    """A dataclass field holding a non-personal fact."""
    return _field(Sensitivity.SHAREABLE, free_text=False, **kwargs)


def personal(*, free_text: bool = False, **kwargs: Any) -> Any:
    """A dataclass field holding personal data (free_text: typed prose, maybe about a person)."""
    return _field(Sensitivity.PERSONAL, free_text=free_text, **kwargs)


def _field(sensitivity: Sensitivity, *, free_text: bool, **kwargs: Any) -> Any:
    metadata = {"sensitivity": sensitivity, "free_text": free_text}
    return dataclasses.field(metadata=metadata, **kwargs)


def sensitivity_of(record_type: type) -> dict[str, Sensitivity]:
    """Map every field of a record type to its declared sensitivity."""
    result = {}
    for f in dataclasses.fields(record_type):
        if "sensitivity" not in f.metadata:
            raise TypeError(f"{record_type.__name__}.{f.name} declares no sensitivity")
        result[f.name] = f.metadata["sensitivity"]
    return result


def free_text_fields(record_type: type) -> frozenset[str]:
    """Names of the personal fields that hold typed prose."""
    return frozenset(f.name for f in dataclasses.fields(record_type) if f.metadata.get("free_text"))
