"""Observations without flet: the list's order and each line's detail (categories, headcount),
and the quick-add's place and time rules.

The place is never guessed silently. The last place used is offered ("Sist: Ålgård stasjon");
it is put in the field only when the officer is evidently still there — a position fix within
``NEAR_METRES`` of where it was recorded, or, with no fix, an observation saved there less than
``SAME_STOP`` ago — and the form then says so. A position is stored only with the place it was
taken at: with a place typed now or the fix's own coordinates; with the last place's name, the
fix only when it is near that place, else the coordinates recorded with it. A fix never goes
with an observation whose time was set back more than ``FIX_FRESH`` (it was seen elsewhere).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fieldapp.domain import Observation
from fieldapp.domain.messages import code_label

SAME_STOP = timedelta(minutes=30)
NEAR_METRES = 200.0
FIX_FRESH = timedelta(minutes=15)
EARTH_METRES = 6_371_000.0
Point = tuple[float, float]


def newest_first(records: list[Observation]) -> list[Observation]:
    return sorted(records, key=lambda o: o.observed_at, reverse=True)


def detail_line(observation: Observation, lang: str, t: Callable[..., str]) -> str:
    """"Slåsskamp, Rus · 6 ungdommer": the categories, then the headcount when counted."""
    cats = ", ".join(code_label(c, lang) for c in sorted(observation.categories))
    count = t("obs.count_line", count=observation.youth_count) \
        if observation.youth_count is not None else ""
    return " · ".join(x for x in (cats, count) if x)


@dataclass(frozen=True)
class LastPlace:
    """The place of the last quick-add, where it was, and when it was saved there."""

    name: str
    point: Point | None
    saved_at: datetime


def last_place(name: str, records: list[Observation]) -> LastPlace | None:
    """The remembered place name with the newest observation saved under it (None: none)."""
    if not name:
        return None
    named = [o for o in records if o.place == name]
    if not named:
        return None
    last = max(named, key=lambda o: o.created_at or o.observed_at)
    point = (last.latitude, last.longitude) \
        if last.latitude is not None and last.longitude is not None else None
    return LastPlace(name, point, last.created_at or last.observed_at)


def metres_between(a: Point, b: Point) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + \
        math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_METRES * math.asin(math.sqrt(h))


def still_there(last: LastPlace, now: datetime, fix: Point | None) -> bool:
    """Is the officer evidently still at the last place?"""
    if fix is not None and last.point is not None:
        return metres_between(fix, last.point) <= NEAR_METRES
    return now - last.saved_at <= SAME_STOP


def position_for(place: str, last: LastPlace | None, fix: Point | None,
                 observed_at: datetime, now: datetime) -> Point | None:
    """The coordinates to store with ``place`` (see the module docstring)."""
    if fix is not None and now - observed_at > FIX_FRESH:
        fix = None  # seen earlier, elsewhere: the fix is where the officer is now
    if last is None or place != last.name:
        return fix
    if fix is not None and (last.point is None or
                            metres_between(fix, last.point) <= NEAR_METRES):
        return fix
    return last.point


def observed_time(typed: datetime | None, now: datetime) -> datetime:
    """The time of a quick-add: now unless a time was typed; a typed time later than now is
    yesterday evening's (an observation noted after midnight)."""
    if typed is None:
        return now
    return typed - timedelta(days=1) if typed > now + timedelta(minutes=5) else typed


def today(now: datetime) -> date:
    return now.astimezone().date()
