"""Disclosure control: what the report may show so that no youth can be singled out.

Rules (every table of the report follows them):
1. Counts of events about people — observations, U18 follow-up cases, crisis callouts, and
   those linked to a priority area — are shown as "<3" when they are 1 or 2. Zero stays 0: it
   says that nothing happened, which singles nobody out and is what the council must see.
2. Counts that measure the service itself — visit windows met, presence weeks, meetings held,
   agendas on time, school visits — are about the police contact and the council, not about
   youths, and are shown exactly.
3. Only one-dimensional tables: no cross-tabulation (place × month × category) that could
   narrow a figure down to one person.
4. Places: those with fewer than 3 observations are pooled into one "other places" row; when
   the pool holds 1 or 2 (or is empty while the total is withheld), the smallest named places
   join it until it holds at least 3. The pool's count is shown only when the total is.
5. Totals: a total is shown only when every cell it adds up is exact (observations: every
   month; callouts: every event type). A count of a subset of the same records (a category, a
   priority area) that is 3 or more is withheld while the total is, when it is within 1 of
   the largest total the cells allow — else it would pin the total, and the total a "<3".
6. Periods: the calendar half-year is the unit for counts about people, the month for the
   monthly series. A longer period (the year) adds up its halves' published figures: the
   exact sum where every half is exact, else the range the halves allow ("4–5"; "<3" for
   1–2), withheld when a half is withheld. So the year says nothing the half-year reports
   do not, and year minus half-year gives back only what that half-year report shows.
   Places are named in the year only where every half names them or had none there.
Response times are shown only as a median over at least 3 callouts.
Residual risk, accepted: reports made before a period ends are snapshots; two snapshots of
the same running period differ by what happened in between. The evaluation is made after
the period, for the council's first meeting. The attacker assumed knows every published
figure and how they add up, not the internal reasons a cell was withheld.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import overload

SUPPRESSED = "<3"
MIN_SHOWN = 3
OTHER_PLACES = "__other_places__"
RANGE_DASH = "–"

Figure = int | str  # an exact count, "<3", or a range "lo–hi"; None where a figure is withheld


def suppress(count: int) -> Figure:
    """0 and counts of 3 or more as they are; 1 and 2 as "<3"."""
    if count < 0:
        raise ValueError("a count is never negative")
    return count if count == 0 or count >= MIN_SHOWN else SUPPRESSED


def is_exact(value: Figure | None) -> bool:
    return isinstance(value, int)


def bounds(value: Figure) -> tuple[int, int]:
    """The least and greatest count a published figure allows."""
    if isinstance(value, int):
        return value, value
    if value == SUPPRESSED:
        return 1, MIN_SHOWN - 1
    low, high = value.split(RANGE_DASH)
    return int(low), int(high)


@overload
def combine(parts: Sequence[Figure]) -> Figure: ...
@overload
def combine(parts: Sequence[Figure | None]) -> Figure | None: ...


def combine(parts: Sequence[Figure | None]) -> Figure | None:
    """A period's figure from the published figures of its parts (rule 6): withheld (None)
    when a part is."""
    published = [p for p in parts if p is not None]
    if len(published) != len(parts):
        return None
    low = sum(bounds(p)[0] for p in published)
    high = sum(bounds(p)[1] for p in published)
    if low == high:
        return low
    return SUPPRESSED if (low, high) == (1, MIN_SHOWN - 1) else f"{low}{RANGE_DASH}{high}"


def capped(count: int, total_high: int | None) -> Figure | None:
    """A subset count under a withheld total (rule 5); ``total_high``: the greatest total
    the total's cells allow, None when the total is shown."""
    if total_high is not None and count >= MIN_SHOWN and count >= total_high - 1:
        return None
    return suppress(count)


def highest_total(values: Iterable[Figure]) -> int:
    return sum(bounds(v)[1] for v in values)


@dataclass(frozen=True)
class Row:
    key: str       # a code, a month "YYYY-MM", a place name or OTHER_PLACES
    value: Figure | None


@dataclass(frozen=True)
class Breakdown:
    rows: tuple[Row, ...]
    total: Figure | None  # None: withheld (a cell is not exact) or no total applies
    has_total: bool = False  # the rows split the records, so a total row belongs under them

    @property
    def has_suppressed(self) -> bool:
        return any(not is_exact(r.value) for r in self.rows)


def breakdown(counts: Mapping[str, int], keys: Iterable[str],
              total: int | None = None) -> Breakdown:
    """Rows in the order of ``keys``; ``total`` shown only when every row is exact."""
    rows = tuple(Row(k, suppress(counts.get(k, 0))) for k in keys)
    shown = None if total is None or any(not is_exact(r.value) for r in rows) \
        else suppress(total)
    return Breakdown(rows, shown, has_total=total is not None)


def _biggest_first(counts: Mapping[str, int]) -> list[str]:
    return sorted(counts, key=lambda k: (-counts[k], k.casefold()))


def place_table(parts: Sequence[Mapping[str, int]], total_shown: bool) -> Breakdown:
    """Observations per place over a period split into ``parts`` (rules 4 and 6): named rows
    biggest first, then the pool; the total under them only when ``total_shown``."""
    totals: dict[str, int] = {}
    for part in parts:
        for key, n in part.items():
            totals[key] = totals.get(key, 0) + n
    named = {k: n for k, n in totals.items() if n >= MIN_SHOWN}
    if len(parts) > 1:
        per_part = [_named(part, total_shown) for part in parts]
        named = {k: n for k, n in named.items()
                 if all(k in names or not part.get(k)
                        for part, names in zip(parts, per_part, strict=True))}
    kept = _named(totals, total_shown, named)
    everything = sum(totals.values())
    pool = everything - sum(kept.values())
    rows = [Row(k, kept[k]) for k in _biggest_first(kept)]
    if pool:
        rows.append(Row(OTHER_PLACES, pool if total_shown else None))
    return Breakdown(tuple(rows), suppress(everything) if total_shown else None,
                     has_total=True)


def _named(counts: Mapping[str, int], total_shown: bool,
           candidates: Mapping[str, int] | None = None) -> dict[str, int]:
    """The places named after pooling; ``candidates``: those that may be named at all."""
    named = dict(candidates if candidates is not None else
                 {k: n for k, n in counts.items() if n >= MIN_SHOWN})
    pool = sum(counts.values()) - sum(named.values())
    while named and (0 < pool < MIN_SHOWN or (pool == 0 and not total_shown)):
        smallest = _biggest_first(named)[-1]
        pool += named.pop(smallest)
    return named


def median_minutes(values: list[float]) -> int | None:
    """The median rounded to whole minutes, only over MIN_SHOWN values or more."""
    if len(values) < MIN_SHOWN:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    middle = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return round(middle)
