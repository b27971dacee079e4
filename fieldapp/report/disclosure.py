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
4. Places with fewer than 3 observations are pooled into one "other places" row, so that a
   place name never appears with a small count.
5. Totals: a table shows its total only when none of its cells reads "<3" (otherwise the total
   minus the visible cells would give the hidden one). Tables that split the same records
   (observations by month and by place) share one total: it is withheld in both when either
   has a "<3". Response times are shown only as a median over at least 3 callouts.
Residual risk, accepted: a table with no small cell still adds up to the exact total, so a
single "<3" in another table of the same records (one month, or the pooled "other places")
can be worked out by subtraction. What that yields is that one month, or an unnamed group of
places, had 1 or 2 observations; with no cross-tabulation and no small place named, it points
to no one. Closing it would need secondary suppression across tables, which would hide more
of what the council needs than it protects here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SUPPRESSED = "<3"
MIN_SHOWN = 3
OTHER_PLACES = "__other_places__"

Figure = int | str


def suppress(count: int) -> Figure:
    """0 and counts of 3 or more as they are; 1 and 2 as "<3"."""
    if count < 0:
        raise ValueError("a count is never negative")
    return count if count == 0 or count >= MIN_SHOWN else SUPPRESSED


@dataclass(frozen=True)
class Row:
    key: str       # a code, a month "YYYY-MM", a place name or OTHER_PLACES
    value: Figure


@dataclass(frozen=True)
class Breakdown:
    rows: tuple[Row, ...]
    total: Figure | None  # None: withheld (a cell is suppressed) or no total applies
    has_total: bool = False  # the rows split the records, so a total row belongs under them

    @property
    def has_suppressed(self) -> bool:
        return any(r.value == SUPPRESSED for r in self.rows)


def breakdown(counts: Mapping[str, int], keys: Iterable[str],
              total: int | None = None) -> Breakdown:
    """Rows in the order of ``keys``; ``total`` shown only when no row is suppressed."""
    rows = tuple(Row(k, suppress(counts.get(k, 0))) for k in keys)
    shown = None if total is None or any(r.value == SUPPRESSED for r in rows) else suppress(total)
    return Breakdown(rows, shown, has_total=total is not None)


def pool_small(counts: Mapping[str, int], other_key: str = OTHER_PLACES) -> dict[str, int]:
    """Keys with fewer than MIN_SHOWN pooled into ``other_key``, biggest first (then by name)."""
    kept = {k: n for k, n in counts.items() if n >= MIN_SHOWN}
    pooled = sum(n for n in counts.values() if 0 < n < MIN_SHOWN)
    ordered = dict(sorted(kept.items(), key=lambda kv: (-kv[1], kv[0].casefold())))
    if pooled:
        ordered[other_key] = pooled
    return ordered


def median_minutes(values: list[float]) -> int | None:
    """The median rounded to whole minutes, only over MIN_SHOWN values or more."""
    if len(values) < MIN_SHOWN:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    middle = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return round(middle)
