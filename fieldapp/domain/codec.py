"""Records to and from plain JSON-able dicts, driven by the dataclass type hints.

Datetimes are ISO 8601 with offset (naive ones are taken as local time), dates ISO dates,
sets sorted lists. Unknown keys are ignored so an older app can read a newer record.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from typing import Any, ClassVar, Protocol, TypeVar

from .kinds import RECORD_TYPES_BY_KIND
from .records import Record


class Dataclass(Protocol):
    """Any dataclass (what ``dataclasses.fields`` reads)."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]


T = TypeVar("T", bound=Dataclass)


class DecodeError(ValueError):
    """A stored or received record could not be read back (the field is named, not the value)."""


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of a dataclass, worked out once per class."""
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(_encode(v) for v in value)
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def to_dict(record: Any) -> dict[str, Any]:
    """A record (or nested dataclass) as a JSON-able dict; records also carry their kind."""
    data: dict[str, Any] = _encode(record)
    if isinstance(record, Record):
        data["kind"] = record.kind
    return data


def aware(value: datetime) -> datetime:
    """Naive datetimes are taken as the device's local time."""
    return value if value.tzinfo is not None else value.astimezone()


def _parse_datetime(raw: Any) -> datetime:
    if isinstance(raw, datetime):
        return aware(raw)
    return aware(datetime.fromisoformat(raw))


def _parse_date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    return date.fromisoformat(raw)


def _decode(tp: Any, raw: Any) -> Any:
    if raw is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if datetime in options and date in options:
            is_date_only = isinstance(raw, date) and not isinstance(raw, datetime)
            return _parse_date(raw) if is_date_only or len(str(raw)) == 10 else _parse_datetime(raw)
        return _decode(options[0], raw)
    if origin in (list, set):
        if not isinstance(raw, list | set | tuple):
            raise TypeError("list")
        (item_tp,) = typing.get_args(tp)
        items = [_decode(item_tp, v) for v in raw]
        return set(items) if origin is set else items
    if tp is datetime:
        return _parse_datetime(raw)
    if tp is date:
        return _parse_date(raw)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return from_fields(tp, raw)
    if tp is float and isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    if tp in (int, float) and isinstance(raw, bool):
        raise TypeError(tp.__name__)
    if tp in (str, int, bool, float) and not isinstance(raw, tp):
        raise TypeError(tp.__name__)
    return raw


def from_fields(cls: type[T], data: dict[str, Any]) -> T:
    """Build a dataclass from a dict, converting each known field by its type hint."""
    hints = _hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            try:
                kwargs[f.name] = _decode(hints[f.name], data[f.name])
            except (TypeError, ValueError, AttributeError) as exc:
                raise DecodeError(f"{cls.__name__}.{f.name}: unreadable value") from exc
    return cls(**kwargs)


def from_dict(data: dict[str, Any]) -> Record:
    """A record from its dict, by its ``kind``."""
    kind = data.get("kind")
    cls = RECORD_TYPES_BY_KIND.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise DecodeError("unknown record kind")
    return from_fields(cls, data)
