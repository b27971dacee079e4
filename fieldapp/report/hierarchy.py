"""A period of several half-years adds up its parts' published figures (``disclosure``, rule 6).

The year is built as it always was — schools, presence, meetings, medians, the monthly series,
places and the overdue count (a state at the period's last day, the same as its last half's)
come from the year itself — and then every count about people that adds up over time takes
the value ``disclosure.combine`` gives from the half-year reports: exact where both halves
are exact, otherwise the range the halves allow, or withheld. So subtracting a half-year
report from the year report gives back only figures that half-year report shows itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .activity import AreaActivity, CalloutFigures, CaseFigures, ObservationFigures
from .disclosure import Breakdown, Row, combine


def _rows(whole: Breakdown, parts: Sequence[Breakdown]) -> Breakdown:
    rows = tuple(Row(row.key, combine([p.rows[i].value for p in parts]))
                 for i, row in enumerate(whole.rows))
    return dataclasses.replace(whole, rows=rows)


def observations(whole: ObservationFigures,
                 parts: Sequence[ObservationFigures]) -> ObservationFigures:
    return dataclasses.replace(whole, total=combine([p.total for p in parts]),
                               by_category=_rows(whole.by_category,
                                                 [p.by_category for p in parts]))


def cases(whole: CaseFigures, parts: Sequence[CaseFigures]) -> CaseFigures:
    return dataclasses.replace(whole, opened=combine([p.opened for p in parts]),
                               closed=combine([p.closed for p in parts]))


def callouts(whole: CalloutFigures, parts: Sequence[CalloutFigures]) -> CalloutFigures:
    rows = tuple(dataclasses.replace(row, count=combine([p.rows[i].count for p in parts]))
                 for i, row in enumerate(whole.rows))
    return dataclasses.replace(whole, rows=rows, total=combine([p.total for p in parts]))


def areas(whole: Sequence[AreaActivity],
          parts: Sequence[Sequence[AreaActivity]]) -> tuple[AreaActivity, ...]:
    return tuple(dataclasses.replace(area,
                                     observations=combine([p[i].observations for p in parts]),
                                     callouts=combine([p[i].callouts for p in parts]),
                                     cases=combine([p[i].cases for p in parts]))
                 for i, area in enumerate(whole))
