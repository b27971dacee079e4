"""The period a report covers: whole Europe/Oslo days from ``start`` to ``end``, inclusive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        """1: January–June, 2: July–December."""
        if half not in (1, 2):
            raise ValueError("half is 1 or 2")
        return cls(date(year, 1, 1), date(year, 6, 30)) if half == 1 else \
            cls(date(year, 7, 1), date(year, 12, 31))

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def covers(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every calendar month the period touches, in order."""
        result = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            result.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return result

    def buckets(self, per: str) -> list[Period]:
        """The calendar half-years (per="half_year") or years (per="year") the period touches."""
        result = []
        for year in range(self.start.year, self.end.year + 1):
            parts = [Period.year(year)] if per == "year" else \
                [Period.half(year, 1), Period.half(year, 2)]
            result += [p for p in parts if p.end >= self.start and p.start <= self.end]
        return result

    def clip(self, other: Period) -> Period | None:
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Period(start, end) if start <= end else None

    def parts(self) -> list[Period]:
        """The calendar half-years the period touches, clipped to it: the units in which the
        report counts people (see ``disclosure``, rule 6). A half-year is its only part."""
        return [p for p in (b.clip(self) for b in self.buckets("half_year")) if p is not None]
