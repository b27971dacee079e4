"""The consent gate's field-by-field walk: under a ``Cover`` (may a case's personal data go to
this recipient, on which basis), each field of a record and of its nested items is shared or
withheld with a ``Reason``; the walk builds the ``Decision``. The rules are in ``consent``'s
docstring; ``ConsentGate`` decides the cover and calls ``FieldJudge``.

- ``sync_state`` is local bookkeeping and never goes (``NEVER_SENT``).
- A shareable field goes unless the identity-number detector finds personal data in its text;
  identifier fields (``IDENTIFIER_FIELDS``) are not text, they must have their strict shape
  (``identifiers_ok``) or nothing of the record goes.
- A personal field of a case goes only under a cover, free text only when the detector finds
  nothing; of other records only marked free text that the detector finds clean.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .codes import MUNICIPALITY_CODE_PATTERN, UUID_PATTERN
from .identity import contains_personal_data
from .records import Record
from .sensitivity import Sensitivity

NEVER_SENT = frozenset({"sync_state"})
# Shareable strings that are identifiers, not text: the detector skips them, and the gate lets
# a record out only when each has its strict shape (UUID; a 4-digit municipality number).
IDENTIFIER_FIELDS = frozenset({"id", "case_id", "municipality", "decision_id", "kind"})


class Reason(enum.StrEnum):
    PERSONAL_NO_CONSENT = "personal_no_consent"
    CONSENT_EXPIRED = "consent_expired"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    CONSENT_NOT_YET_GIVEN = "consent_not_yet_given"
    CONSENT_OTHER_RECIPIENT = "consent_other_recipient"
    LEGAL_BASIS_UNKNOWN = "legal_basis_unknown"
    LEGAL_BASIS_OTHER_RECIPIENT = "legal_basis_other_recipient"
    FREE_TEXT_NOT_MARKED = "free_text_not_marked"
    FREE_TEXT_HAS_PERSONAL_DATA = "free_text_has_personal_data"
    SHAREABLE_HAS_PERSONAL_DATA = "shareable_has_personal_data"
    U18_NO_CONSENT = "u18_no_consent"
    CASE_NOT_SHARED = "case_not_shared"
    LOCAL_ONLY = "local_only"
    INVALID_IDENTIFIER = "invalid_identifier"


@dataclass(frozen=True)
class Withheld:
    field: str
    reason: str


@dataclass(frozen=True)
class Cover:
    """Whether a case's personal data may go to the recipient, and on which basis."""

    ok: bool
    reason: str = ""
    basis: str = ""
    consent_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    record_id: str
    kind: str
    recipient: str
    send_record: bool
    payload: dict[str, Any] | None = None
    shared: tuple[str, ...] = ()
    withheld: tuple[Withheld, ...] = ()
    basis: str = ""
    consent_ids: tuple[str, ...] = ()
    reason: str = ""
    personal_shared: tuple[str, ...] = ()

    @property
    def withheld_fields(self) -> frozenset[str]:
        return frozenset(w.field for w in self.withheld)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list | set | tuple) and not value)


def _strings(value: Any) -> list[str]:
    """Every string in a field value that is not a nested record: a str, or the strings of a
    list, set or tuple (codes and lists of codes are scanned too: a forged code is text)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | set | tuple | frozenset):
        return [v for v in value if isinstance(v, str)]
    return []


_SCALAR_TYPES = frozenset({str, int, float, bool, type(None), date, datetime})


def _text_is_clean(value: Any) -> bool:
    kind = type(value)
    if kind is str:  # most fields, answered without building a list of one
        return not value or not contains_personal_data(value)
    if kind in _SCALAR_TYPES or isinstance(value, int | float | date):
        return True  # no text in it (a bool is an int, a datetime a date)
    return not any(contains_personal_data(t) for t in _strings(value) if t)


def _uuid(value: Any, *, empty_ok: bool = False) -> bool:
    return (empty_ok and value == "") or (isinstance(value, str)
                                          and bool(UUID_PATTERN.match(value)))


_ID_CHECKS = {"id": "uuid", "case_id": "uuid_or_empty", "decision_id": "uuid_or_empty",
              "municipality": "municipality"}
_ID_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}


def identifiers_ok(obj: Any) -> bool:
    """Every identifier field of a record and its nested items has its strict shape."""
    fields = _ID_FIELDS.get(type(obj))
    if fields is None:  # (name, check) of every field, read once per class
        fields = _ID_FIELDS[type(obj)] = tuple(
            (f.name, _ID_CHECKS.get(f.name, "")) for f in dataclasses.fields(obj))
    for name, check in fields:
        value = getattr(obj, name)
        if check == "uuid" and not _uuid(value):
            return False
        if check == "uuid_or_empty" and not _uuid(value, empty_ok=True):
            return False
        if check == "municipality" and not (value == "" or (
                isinstance(value, str) and MUNICIPALITY_CODE_PATTERN.match(value))):
            return False
        if isinstance(value, list) and any(dataclasses.is_dataclass(v) and not
                                           identifiers_ok(v) for v in value):
            return False
    return True


#: Per class: (name, shareable, free text, an identifier) of every field it may send.
_JUDGED_FIELDS: dict[type, tuple[tuple[str, bool, bool, bool], ...]] = {}


def _judged_fields(cls: type) -> tuple[tuple[str, bool, bool, bool], ...]:
    """(name, shareable, free text, an identifier) of every field a record class may send,
    read once."""
    found = _JUDGED_FIELDS.get(cls)
    if found is None:
        found = _JUDGED_FIELDS[cls] = tuple(
            (f.name, f.metadata["sensitivity"] is Sensitivity.SHAREABLE,
             bool(f.metadata["free_text"]), f.name in IDENTIFIER_FIELDS)
            for f in dataclasses.fields(cls) if f.name not in NEVER_SENT)
    return found


class FieldJudge:
    """Walks a record (and its nested actions or timeline entries) field by field."""

    def __init__(self, cover: Cover, *, case_mode: bool, marked: bool):
        self.cover = cover
        self.case_mode = case_mode
        self.marked = marked
        self.shared: list[str] = []
        self.personal_shared: list[str] = []
        self.withheld: list[Withheld] = []

    def decision(self, record: Record, recipient: str, payload: dict[str, Any],
                 cover: Cover) -> Decision:
        return Decision(record.id, record.kind, recipient, True, payload, tuple(self.shared),
                        tuple(self.withheld), cover.basis, cover.consent_ids,
                        personal_shared=tuple(self.personal_shared))

    def filter(self, obj: Any, data: dict[str, Any], prefix: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, shareable, free_text, identifier in _judged_fields(type(obj)):
            path = prefix + name
            value = getattr(obj, name)
            if shareable:
                if not identifier and not _text_is_clean(value):
                    self.withheld.append(Withheld(path, Reason.SHAREABLE_HAS_PERSONAL_DATA))
                    continue
                # most fields are scalars: nothing nested to judge
                out[name] = data[name] if type(value) in _SCALAR_TYPES \
                    else self._shareable(value, data[name], path)
                self.shared.append(path)
                continue
            if _is_empty(value):
                continue
            reason = self._personal_reason(value, free_text=free_text)
            if reason:
                self.withheld.append(Withheld(path, str(reason)))
            else:
                out[name] = data[name]
                self.shared.append(path)
                self.personal_shared.append(path)
        return out

    def _shareable(self, value: Any, encoded: Any, path: str) -> Any:
        """A shareable field that is not a scalar (``filter`` takes those as they are)."""
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self.filter(value, encoded, f"{path}.")
        if isinstance(value, list) and value and dataclasses.is_dataclass(value[0]):
            return [self.filter(item, encoded[i], f"{path}[{i}].")
                    for i, item in enumerate(value)]
        return encoded

    def _personal_reason(self, value: Any, *, free_text: bool) -> str:
        if self.case_mode:
            if not self.cover.ok:
                return self.cover.reason or Reason.PERSONAL_NO_CONSENT
            if free_text and not _text_is_clean(value):
                return Reason.FREE_TEXT_HAS_PERSONAL_DATA
            return ""
        if not free_text:
            return self.cover.reason or Reason.PERSONAL_NO_CONSENT
        if not self.marked:
            return Reason.FREE_TEXT_NOT_MARKED
        if not _text_is_clean(value):
            return Reason.FREE_TEXT_HAS_PERSONAL_DATA
        return ""
