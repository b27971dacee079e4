"""Records to and from plain JSON-able dicts, driven by the dataclass type hints.

Datetimes are ISO 8601 with offset (naive ones are taken as local time), dates ISO dates,
sets sorted lists. Unknown keys are ignored so an older app can read a newer record.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
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


def field_hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of a dataclass, worked out once per class."""
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


_PLAIN = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names, worked out once per class (None: not a dataclass)."""
    if cls not in _FIELD_NAMES:
        _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls)) \
            if dataclasses.is_dataclass(cls) else None
    return _FIELD_NAMES[cls]


_PLAIN_TYPES = frozenset(_PLAIN)


def _encode(value: Any) -> Any:
    if isinstance(value, _PLAIN):  # most values: nothing to do
        return value
    names = _field_names(type(value))
    if names is not None:  # plain field values without a call (most of them)
        fields = value.__dict__
        return {name: v if type(v := fields[name]) in _PLAIN_TYPES else _encode(v)
                for name in names}
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


Decoder = Callable[[Any], Any]
_DECODERS: dict[Any, Decoder] = {}
_FIELD_DECODERS: dict[type, tuple[tuple[str, Decoder], ...]] = {}


def _decoder(tp: Any) -> Decoder:
    """The decoder of one type hint, built once: the type is worked out when the decoder is
    made, not again for every value (decoding a record is then mostly the data's own work)."""
    found = _DECODERS.get(tp)
    if found is None:
        found = _DECODERS[tp] = _build(tp)
    return found


def _none_or(decode: Decoder) -> Decoder:
    def decoder(raw: Any) -> Any:
        return None if raw is None else decode(raw)
    return decoder


def _date_or_datetime(raw: Any) -> Any:
    is_date_only = isinstance(raw, date) and not isinstance(raw, datetime)
    return _parse_date(raw) if is_date_only or len(str(raw)) == 10 else _parse_datetime(raw)


def _sequence(item: Decoder, as_set: bool) -> Decoder:
    def decode(raw: Any) -> Any:
        if not isinstance(raw, list | set | tuple):
            raise TypeError("list")
        items = [item(v) for v in raw]
        return set(items) if as_set else items
    return decode


def _plain(tp: type) -> Decoder:
    """str, int, bool and float as JSON gives them: a bool is never a number here."""
    def decode(raw: Any) -> Any:
        if tp in (int, float) and isinstance(raw, bool):
            raise TypeError(tp.__name__)
        if tp is float and isinstance(raw, int | float):
            return float(raw)
        if not isinstance(raw, tp):
            raise TypeError(tp.__name__)
        return raw
    return decode


def _build(tp: Any) -> Decoder:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if datetime in options and date in options:
            return _none_or(_date_or_datetime)
        return _decoder(options[0])
    if origin in (list, set):
        (item_tp,) = typing.get_args(tp)
        return _none_or(_sequence(_decoder(item_tp), origin is set))
    if tp is datetime:
        return _none_or(_parse_datetime)
    if tp is date:
        return _none_or(_parse_date)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        cls = tp
        return _none_or(lambda raw: from_fields(cls, raw))
    if tp in (str, int, bool, float):
        return _none_or(_plain(tp))
    return _none_or(lambda raw: raw)


def _decode(tp: Any, raw: Any) -> Any:
    return _decoder(tp)(raw)


def _field_decoders(cls: type) -> tuple[tuple[str, Decoder], ...]:
    found = _FIELD_DECODERS.get(cls)
    if found is None:
        hints = field_hints(cls)
        found = _FIELD_DECODERS[cls] = tuple(
            (f.name, _decoder(hints[f.name])) for f in dataclasses.fields(cls))
    return found


def from_fields(cls: type[T], data: dict[str, Any]) -> T:
    """Build a dataclass from a dict, converting each known field by its type hint."""
    kwargs = {}
    for name, decode in _field_decoders(cls):
        if name in data:
            try:
                kwargs[name] = decode(data[name])
            except (TypeError, ValueError, AttributeError) as exc:
                raise DecodeError(f"{cls.__name__}.{name}: unreadable value") from exc
    return cls(**kwargs)


def from_dict(data: dict[str, Any]) -> Record:
    """A record from its dict, by its ``kind``."""
    kind = data.get("kind")
    cls = RECORD_TYPES_BY_KIND.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise DecodeError("unknown record kind")
    return from_fields(cls, data)
