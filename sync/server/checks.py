"""What the backend checks of one pushed item before it judges consent (it trusts nothing).

    parse(item, policy) -> (Record, canonical JSON of its record)   Refused(reason) otherwise

In order: the envelope (schema, payload hash, kind, id and revision), the record decoded once
into its type (unknown keys refused at every depth, a string where a list belongs refused),
the same ``validate()`` as the phone (less the "required" checks of personal fields, which the
gate may rightly withhold), every code against its vocabulary (``validate`` does the fixed code
lists; priority areas must be in the municipality's agreement), UUID ids and a municipality
this backend serves. A ``Policy`` says which municipality and which client-claimed legal
bases a device may use.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from dataclasses import dataclass
from typing import Any

from fieldapp.domain import RECORD_TYPES_BY_KIND, DecodeError, Record, from_dict
from fieldapp.domain.agreement import agreement_for, agreements_from_json
from fieldapp.domain.codes import MUNICIPALITY_CODE_PATTERN, UUID_PATTERN
from fieldapp.domain.meetings import Meeting
from fieldapp.domain.sensitivity import Sensitivity
from fieldapp.domain.validation import FieldError, validation_errors

from ..protocol import SCHEMA_VERSION
from .canonical import hashed
from .db import Database

ACCEPTED_KINDS = frozenset(RECORD_TYPES_BY_KIND) - {"crisis_contact"}
MAX_CONSENTS = 20
LEGAL_BASIS_POLICY = "legal_basis_policy"   # meta key: {"*": [codes], "<device name>": [codes]}


# Every reason this module and the intake refuse an item with, beside the consent gate's own
# (``fieldapp.domain.consent.Reason``); the phone has plain words for each (sync/texts.py).
REASONS = ("schema_unsupported", "hash_mismatch", "kind_not_accepted", "envelope_mismatch",
           "invalid_id", "undecodable", "unknown_field", "municipality_invalid",
           "wrong_municipality", "invalid_record", "priority_area_unknown",
           "legal_basis_not_allowed", "consents_invalid", "consent_unknown", "basis_mismatch",
           "field_not_allowed", "conflict", "check_failed")


class Refused(Exception):
    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Policy:
    """What this backend lets one device send: its municipality, its legal bases, the areas."""

    municipality: str                   # "" : any municipality number
    legal_bases: frozenset[str]
    agreements: dict[str, Any]          # stored agreements by municipality

    @classmethod
    def load(cls, db: Database, device_name: str, municipality: str) -> Policy:
        return cls(municipality, allowed_legal_bases(db, device_name), _stored_agreements(db))

    def area_codes(self, municipality: str) -> frozenset[str] | None:
        """The priority-area codes of the municipality's agreement; None without one."""
        agreement = agreement_for(municipality, self.agreements)
        return None if agreement is None else frozenset(a.code for a in agreement.priority_areas)


def allowed_legal_bases(db: Database, device_name: str) -> frozenset[str]:
    """The legal bases the municipality lets this device claim (default: none)."""
    try:
        policy = json.loads(db.meta(LEGAL_BASIS_POLICY) or "{}")
    except ValueError:
        return frozenset()
    codes = policy.get(device_name, policy.get("*", [])) if isinstance(policy, dict) else []
    if not isinstance(codes, list):
        return frozenset()  # a malformed entry grants nothing
    return frozenset(c for c in codes if isinstance(c, str))


def _stored_agreements(db: Database) -> dict[str, Any]:
    raw = db.meta("agreement")
    try:
        return agreements_from_json(json.loads(raw)) if raw else {}
    except (ValueError, TypeError, KeyError, DecodeError):
        return {}


def parse(item: dict[str, Any], policy: Policy) -> tuple[Record, bytes]:
    """The checked record of one item and the canonical JSON of the item's record (computed
    once, for the hash; see ``canonical.hashed``); Refused with a reason code otherwise."""
    if item["schema"] != SCHEMA_VERSION:
        raise Refused("schema_unsupported")
    try:
        expected, record_json = hashed(item)
    except (ValueError, TypeError) as exc:     # NaN, Infinity, unencodable values
        raise Refused("undecodable") from exc
    if expected != item["hash"]:
        raise Refused("hash_mismatch")
    data = item["record"]
    if item["kind"] not in ACCEPTED_KINDS or data.get("kind") != item["kind"]:
        raise Refused("kind_not_accepted")
    if data.get("id") != item["id"] or data.get("revision") != item["revision"]:
        raise Refused("envelope_mismatch")
    if not UUID_PATTERN.match(item["id"]):
        raise Refused("invalid_id")
    record = decode(data)
    if not _complete(record):
        raise Refused("invalid_record")
    _check_municipality(record, policy)
    errors = [e for e in validation_errors(record) if not _may_be_withheld(record, e)]
    if errors:
        raise Refused("invalid_id" if errors[0].key == "invalid_id" else "invalid_record")
    _check_areas(record, policy)
    basis = getattr(record, "legal_basis", "")
    if basis and basis not in policy.legal_bases:
        raise Refused("legal_basis_not_allowed")
    return record, record_json


def _check_municipality(record: Record, policy: Policy) -> None:
    # A consent may leave its municipality empty: it belongs to its case's.
    if not record.municipality and record.kind == "consent":
        return
    if not (isinstance(record.municipality, str)
            and MUNICIPALITY_CODE_PATTERN.match(record.municipality)):
        raise Refused("municipality_invalid")
    if policy.municipality and record.municipality != policy.municipality:
        raise Refused("wrong_municipality")


def _may_be_withheld(record: Record, error: FieldError) -> bool:
    """A "required" error the backend cannot judge: the field (or the text inside a list of
    items) is personal, so the phone's gate may have kept it on the phone."""
    if error.key != "required":
        return False
    f = next((f for f in dataclasses.fields(record) if f.name == error.field), None)
    if f is None:
        return False
    return f.metadata["sensitivity"] is Sensitivity.PERSONAL or error.field in _nested_types(
        type(record))


def _linked_areas(record: Record) -> list[str]:
    codes = [getattr(record, "priority_area", "")]
    if isinstance(record, Meeting):
        codes += list(record.priority_areas)
        codes += [i.priority_area for i in record.agenda]
        codes += [d.priority_area for d in record.decisions]
    return [c for c in codes if c]


def _check_areas(record: Record, policy: Policy) -> None:
    linked = _linked_areas(record)
    if linked:
        known = policy.area_codes(record.municipality)
        if known is None or any(code not in known for code in linked):
            raise Refused("priority_area_unknown")


def decode(data: Any) -> Record:
    """The record in ``data``, decoded once into its type; Refused when it cannot be."""
    if not isinstance(data, dict):
        raise Refused("undecodable")
    kind = data.get("kind")
    cls = RECORD_TYPES_BY_KIND.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise Refused("kind_not_accepted")
    _known_keys(cls, data)
    try:
        return from_dict(data)
    except (DecodeError, TypeError, ValueError, AttributeError, KeyError,
            OverflowError) as exc:
        raise Refused("undecodable") from exc


def _known_keys(cls: type, data: object) -> None:
    """Refuse any key the record type (or a nested item type) does not declare."""
    if not isinstance(data, dict):
        raise Refused("undecodable")
    if not data.keys() <= _allowed_keys(cls):
        raise Refused("unknown_field")
    for name, inner in _nested_types(cls).items():
        if data.get(name):
            if not isinstance(data[name], list):
                raise Refused("undecodable")
            for entry in data[name]:
                _known_keys(inner, entry)


_ALLOWED: dict[type, frozenset[str]] = {}


def _allowed_keys(cls: type) -> frozenset[str]:
    """The keys an item of ``cls`` may carry (its fields but ``sync_state``; ``kind`` for a
    record type), worked out once per class."""
    found = _ALLOWED.get(cls)
    if found is None:
        allowed = {f.name for f in dataclasses.fields(cls)} - {"sync_state"}
        if cls in RECORD_TYPES_BY_KIND.values():
            allowed.add("kind")
        found = _ALLOWED[cls] = frozenset(allowed)
    return found


_NESTED: dict[type, dict[str, type]] = {}


def _nested_types(cls: type) -> dict[str, type]:
    """Fields holding lists of dataclasses (actions, timeline, agenda, participants, ...),
    worked out once per class."""
    if cls not in _NESTED:
        nested: dict[str, type] = {}
        for name, hint in typing.get_type_hints(cls).items():
            args = typing.get_args(hint)
            if typing.get_origin(hint) is list and args and isinstance(args[0], type) \
                    and dataclasses.is_dataclass(args[0]):
                nested[name] = args[0]
        _NESTED[cls] = nested
    return _NESTED[cls]


_REQUIRED: dict[type, tuple[str, ...]] = {}


def _required(cls: type) -> tuple[str, ...]:
    """The fields of a record class (or nested item) whose type does not admit None."""
    found = _REQUIRED.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = _REQUIRED[cls] = tuple(
            f.name for f in dataclasses.fields(cls)
            if type(None) not in typing.get_args(hints[f.name]))
    return found


def _complete(obj: Any) -> bool:
    """No field that must hold a value holds None (a forged ``created_at: null`` decodes,
    since stored documents are read leniently), nested actions and entries included."""
    for name in _required(type(obj)):
        value = getattr(obj, name)
        if value is None:
            return False
        kind = type(value)
        if kind in _PLAIN:
            continue
        items = value if isinstance(value, list) else [value]
        if any(_is_instance_of_dataclass(v) and not _complete(v) for v in items):
            return False
    return True


_PLAIN = frozenset({str, int, bool, float})   # a value of these types holds no nested item


def _is_instance_of_dataclass(value: object) -> bool:
    """``dataclasses.is_dataclass`` for an instance (a class is not an item)."""
    return not isinstance(value, type) and hasattr(type(value), "__dataclass_fields__")

