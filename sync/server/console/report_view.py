"""The evaluation report as charts for the console: bars drawn as inline SVG by the template.

The figures are the report's own (``fieldapp.report.build_evaluation`` over what the backend
received, with its disclosure rules): a suppressed or ranged cell is shown as its text with no
bar, so no count the report withholds can be read off a bar's length.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from fieldapp.report import build_evaluation
from fieldapp.report.disclosure import Breakdown, Figure
from fieldapp.report.evaluation import EvaluationReport
from fieldapp.report.texts import code_text, figure, month_label, period_label

from .. import report
from ..db import Database
from .texts import text


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str
    width: float   # percent of the chart's longest exact bar; 0 for a withheld cell


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]


def _chart(title: str, cells: list[tuple[str, Figure | None]], lang: str) -> Chart:
    exact = [v for _, v in cells if isinstance(v, int)]
    top = max(exact, default=0) or 1
    bars = tuple(Bar(label, figure(value, lang),
                     100.0 * value / top if isinstance(value, int) else 0.0)
                 for label, value in cells)
    return Chart(title, bars)


def _breakdown(title: str, b: Breakdown, lang: str, label: Callable[[str], str]) -> Chart:
    return _chart(title, [(label(row.key), row.value) for row in b.rows], lang)


def build(db: Database, year: int, half: int, as_of: datetime) -> EvaluationReport:
    """The report of the period; ``report.AdminError`` when no agreement is known."""
    period = report.period_of(year, half or None)
    return build_evaluation(report.backend_agreement(db), report.received_records(db), period,
                            as_of)


def charts(r: EvaluationReport, lang: str) -> tuple[str, list[Chart]]:
    """The period's name and the charts, in order."""
    obs = r.observations
    out = [
        _breakdown(text("obs_by_category", lang), obs.by_category, lang,
                   lambda key: code_text(key, lang)),
        _breakdown(text("obs_by_month", lang), obs.by_month, lang,
                   lambda key: month_label(key, lang)),
    ]
    schools: list[tuple[str, Figure | None]] = []
    for s in r.schools:
        schools += [(f"{s.school}: {text('met', lang)}", s.windows_met),
                    (f"{s.school}: {text('missed', lang)}", s.windows_missed)]
    if schools:
        out.append(_chart(text("school_windows", lang), schools, lang))
    if r.presence.target:
        out.append(_chart(text("presence", lang),
                          [(text("met", lang), r.presence.weeks_met),
                           (text("missed", lang), r.presence.weeks_missed)], lang))
    out.append(_chart(text("cases_fig", lang), [(text("opened", lang), r.cases.opened),
                                                (text("closed", lang), r.cases.closed)], lang))
    out.append(_chart(text("callouts_fig", lang),
                      [(code_text(row.event_type, lang), row.count)
                       for row in r.callouts.rows], lang))
    return period_label(r.period, lang), [c for c in out if c.bars]
