"""The compiled decoders (built once per type hint) read every value exactly as the plain
per-value decoder did: the same result or the same refusal, for every field of every record
type and a spread of odd JSON values (the oracle below is that decoder, kept as it was)."""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from datetime import UTC, date, datetime
from typing import Any

import pytest

from fieldapp.domain.codec import DecodeError, field_hints, from_fields, to_dict
from fieldapp.domain.kinds import RECORD_TYPES_BY_KIND
from fieldapp.domain.meetings import Meeting

ODD = [None, True, False, 0, 7, -1, 1.5, "", "x", "2026-03-11", "2026-03-11T09:30:00+00:00",
       "2026-03-11T09:30:00", [], ["a"], [1, 2], [None], {}, {"a": 1}, [{"description": "x"}],
       ["2026-03-11"], [True]]


def _oracle(tp: Any, raw: Any) -> Any:
    from fieldapp.domain.codec import _parse_date, _parse_datetime
    if raw is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if datetime in options and date in options:
            is_date_only = isinstance(raw, date) and not isinstance(raw, datetime)
            return _parse_date(raw) if is_date_only or len(str(raw)) == 10 else \
                _parse_datetime(raw)
        return _oracle(options[0], raw)
    if origin in (list, set):
        if not isinstance(raw, list | set | tuple):
            raise TypeError("list")
        (item_tp,) = typing.get_args(tp)
        items = [_oracle(item_tp, v) for v in raw]
        return set(items) if origin is set else items
    if tp is datetime:
        return _parse_datetime(raw)
    if tp is date:
        return _parse_date(raw)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _oracle_fields(tp, raw)
    if tp is float and isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    if tp in (int, float) and isinstance(raw, bool):
        raise TypeError(tp.__name__)
    if tp in (str, int, bool, float) and not isinstance(raw, tp):
        raise TypeError(tp.__name__)
    return raw


def _oracle_fields(cls: type, data: dict[str, Any]) -> Any:
    hints = field_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            try:
                kwargs[f.name] = _oracle(hints[f.name], data[f.name])
            except (TypeError, ValueError, AttributeError) as exc:
                raise DecodeError(f"{cls.__name__}.{f.name}: unreadable value") from exc
    return cls(**kwargs)


def _outcome(read, cls, data) -> Any:
    try:
        record = read(cls, data)
    except DecodeError as exc:
        return ("refused", str(exc))
    except Exception as exc:  # noqa: BLE001 - whatever it is, both must agree
        return ("error", type(exc).__name__)
    return ("read", _fresh_defaults_masked(to_dict(record)))


FRESH_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TODAY = datetime.now(UTC).date().isoformat() + "T"


def _fresh_defaults_masked(value: Any) -> Any:
    """Ids and times a default factory made fresh for this call differ between two reads."""
    if isinstance(value, dict):
        return {k: _fresh_defaults_masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh_defaults_masked(v) for v in value]
    if isinstance(value, str) and (FRESH_ID.match(value) or value.startswith(TODAY)):
        return "<fresh>"
    return value


CLASSES = sorted({*RECORD_TYPES_BY_KIND.values(), Meeting}, key=lambda c: c.__name__)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_field_reads_as_before(cls):
    base = to_dict(cls())
    compared = 0
    for f in dataclasses.fields(cls):
        for raw in ODD:
            data = {**base, f.name: raw}
            assert _outcome(from_fields, cls, data) == _outcome(_oracle_fields, cls, data), (
                cls.__name__, f.name, raw)
            compared += 1
    assert compared >= len(ODD) * 5


def _old_encode(value: Any) -> Any:
    """The encoder as it was: the value's type worked out by ``dataclasses`` every time."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _old_encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(_old_encode(v) for v in value)
    if isinstance(value, list | tuple):
        return [_old_encode(v) for v in value]
    return value


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_record_encodes_as_before(cls):
    base = to_dict(cls())
    compared = 0
    for f in dataclasses.fields(cls):
        for raw in ODD:
            try:
                record = from_fields(cls, {**base, f.name: raw})
            except DecodeError:
                continue
            expected = _old_encode(record)
            expected["kind"] = record.kind
            assert to_dict(record) == expected, (cls.__name__, f.name, raw)
            compared += 1
    assert compared >= len(dataclasses.fields(cls))


def test_sets_encode_sorted_and_nested_records_field_by_field():
    from fieldapp.domain import FollowUpAction, FollowUpCase, Observation
    from fieldapp.domain.codes import OBSERVATION_CATEGORIES, SERVICES
    many = set(OBSERVATION_CATEGORIES)
    assert to_dict(Observation(categories=many))["categories"] == sorted(many)
    case = FollowUpCase(services=set(SERVICES), actions=[FollowUpAction(description="Ringe")])
    encoded = to_dict(case)
    assert encoded["services"] == sorted(SERVICES) == _old_encode(case)["services"]
    assert encoded["actions"] == _old_encode(case)["actions"]
    assert encoded["actions"][0]["description"] == "Ringe"
