"""Copies of records that share nothing mutable with the originals: what ``Logbook.list()``
hands out of the records it keeps decoded (a screen may change the record it was given).

A record's str, numbers, dates and datetimes are immutable and shared; its sets and lists are
copied, lists of dataclasses (a case's actions, a callout's timeline) item by item. What to
copy is worked out once per class (``_plan``); a copy is then a dict copy and a few container
copies, about twice as fast as a copier per field.

Many records are copied class by class (``ByClass``), each class's records in one loop with
nothing called per record, and put back in their order. Measured: ``Logbook.list()`` of 20k
records of three classes, timed between runs of the decrypt + ``json.loads`` floor, 31-37 ms
copied in their order with a call per record, 21-25 ms class by class (Python 3.11; on the
phone's 3.13, 26-30 -> 21-22 ms). Copying one class at a time is worth about half of that,
the loop written out the other half. What is left is CPython making the objects: a dict copy
per record and per action, a list or set per container.
"""

from __future__ import annotations

import bisect
import dataclasses
import types
import typing
from collections.abc import Sequence
from typing import Any, TypeVar

from .codec import field_hints

T = TypeVar("T")

#: Per class: the fields holding a set or list of immutable items (a shallow copy each), and
#: the fields holding dataclasses: (name, their class, its plan, a list of them or one).
Plan = tuple[tuple[str, ...], tuple[tuple[str, type, "Plan", bool], ...]]
_PLANS: dict[type, Plan] = {}
_FLAT: Plan = ((), ())  # nothing to copy but the dict


def _plan(cls: type) -> Plan:
    found = _PLANS.get(cls)
    if found is None:
        containers, nested = [], []
        for f in dataclasses.fields(cls):
            tp = field_hints(cls)[f.name]
            if typing.get_origin(tp) in (typing.Union, types.UnionType):
                tp = next(a for a in typing.get_args(tp) if a is not type(None))
            item = typing.get_args(tp)[0] if typing.get_origin(tp) is list else None
            if isinstance(item, type) and dataclasses.is_dataclass(item):
                nested.append((f.name, item, _plan(item), True))
            elif typing.get_origin(tp) in (list, set):
                containers.append(f.name)  # of immutable items (str): a shallow copy is enough
            elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
                nested.append((f.name, tp, _plan(tp), False))
        found = _PLANS[cls] = (tuple(containers), tuple(nested))
    return found


def _copy(value: Any, cls: type, plan: Plan) -> Any:
    new: Any = object.__new__(cls)
    fields = new.__dict__ = value.__dict__.copy()  # the immutable values are shared
    containers, nested = plan
    for name in containers:
        v = fields[name]
        if v is not None:
            fields[name] = v.copy()
    for name, item_cls, item_plan, is_list in nested:
        v = fields[name]
        if v is not None:
            fields[name] = _copy_nested(v, item_cls, item_plan, is_list)
    return new


def _copy_nested(value: Any, cls: type, plan: Plan, is_list: bool) -> Any:
    return [_copy(x, cls, plan) for x in value] if is_list else _copy(value, cls, plan)


def copy_record(record: T) -> T:
    """A copy of one record (cheaper than decoding it again)."""
    cls = type(record)
    result: T = _copy(record, cls, _plan(cls))
    return result


class ByClass:
    """Records grouped by class, each with its place in the sequence they came in: what
    ``copy`` needs. Worth keeping beside a list that is copied often (``append`` and
    ``replace`` keep it up to date)."""

    __slots__ = ("size", "_groups")

    def __init__(self, records: Sequence[Any]) -> None:
        #: per class: what to copy, the places of its records, and the records
        self._groups: dict[type, tuple[Plan, list[int], list[Any]]] = {}
        self.size = 0
        for record in records:
            self.append(record)

    def append(self, record: Any) -> None:
        """One more record, after the others."""
        group = self._groups.get(type(record))
        if group is None:
            group = self._groups[type(record)] = (_plan(type(record)), [], [])
        group[1].append(self.size)
        group[2].append(record)
        self.size += 1

    def replace(self, at: int, record: Any) -> None:
        """Another record of the same class in place ``at``."""
        _, places, records = self._groups.get(type(record), ((), [], []))
        i = bisect.bisect_left(places, at)
        if i == len(places) or places[i] != at:
            raise ValueError("no record of this class in that place")
        records[i] = record

    def copy(self) -> list[Any]:
        """A copy (``copy_record``) of every record, in the order they came in: ``_copy``
        written out in one loop per class (a call per record costs ~20%)."""
        new_object = object.__new__
        out: list[Any] = [None] * self.size
        for cls, ((containers, nested), places, records) in self._groups.items():
            for at, record in zip(places, records, strict=True):
                new: Any = new_object(cls)
                fields = new.__dict__ = record.__dict__.copy()
                for name in containers:
                    v = fields[name]
                    if v is not None:
                        fields[name] = v.copy()
                for name, item_cls, item_plan, is_list in nested:
                    v = fields[name]
                    if v is None:
                        continue
                    if not is_list or item_plan != _FLAT:
                        fields[name] = _copy_nested(v, item_cls, item_plan, is_list)
                        continue
                    items = []  # of a dataclass without containers (actions): ~8% of it all
                    for x in v:
                        item: Any = new_object(item_cls)
                        item.__dict__ = x.__dict__.copy()
                        items.append(item)
                    fields[name] = items
                out[at] = new
        return out
