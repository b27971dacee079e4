"""The seven sections of the evaluation PDF, in the order of the agreement's obligations.

Each section takes a ``SectionWriter`` (heading, paragraph, table, bar chart; pdf.py's
``Writer`` is the one that draws) and the report; it decides what to say, the writer how it
looks. The protocol lives here, so this module never imports pdf.py (which imports it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from . import texts
from .disclosure import Breakdown, Figure
from .evaluation import EvaluationReport, MeetingBucket, MeetingFigures


class SectionWriter(Protocol):
    """What a section may draw with, in the report's language ``lang``."""

    lang: str

    def heading(self, value: str) -> None: ...

    def paragraph(self, value: str, *, size: float = 10, bold: bool = False) -> None: ...

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]],
              widths: Sequence[float] | None = None) -> None: ...

    def bar_chart(self, labels: Sequence[str], values: Sequence[Figure | None], *,
                  height: float = 42) -> None: ...


def _t(w: SectionWriter, key: str, **values: object) -> str:
    return texts.text(key, w.lang, **values)


def counted_windows(r: EvaluationReport, lang: str) -> str:
    """The visit periods counted, as dates a reader recognises (not the agreement's anchor):
    «Telt i faste perioder på 14 dager, mandag til søndag, fra 29.12.2025 til 01.12.2026.»"""
    firsts = [s.first_day for s in r.schools if s.first_day is not None]
    lasts = [s.last_day for s in r.schools if s.last_day is not None]
    if not firsts or not lasts:
        return texts.text("no_windows_counted", lang)
    days = "/".join(map(str, sorted({s.every_days for s in r.schools})))
    return texts.text("counted_windows", lang, days=days,
                      first=texts.short_date(min(firsts), lang),
                      last=texts.short_date(max(lasts), lang))


def started(r: EvaluationReport, lang: str) -> str | None:
    """«Tellingen starter 01.12.2026, da loggboken ble tatt i bruk. …» when it started after
    the period began; None otherwise."""
    day = r.late_start
    return None if day is None else texts.text("started", lang,
                                               day=texts.short_date(day, lang))


def schools(w: SectionWriter, r: EvaluationReport) -> None:
    w.heading(_t(w, "s_schools"))
    if not r.agreement.schools:
        w.paragraph(_t(w, "no_schools"))
    else:
        days = "/".join(map(str, sorted({s.visit_every_days for s in r.agreement.schools})))
        agreed = _t(w, "agreed_schools", days=days)
        w.paragraph(f"{_t(w, 'agreed')}: {agreed}. {counted_windows(r, w.lang)}")
        header = [_t(w, k) for k in ("school", "windows_met", "windows_missed", "window_open",
                                     "visits")]
        rows = [[s.school, s.windows_met, s.windows_missed, "1" if s.window_open else "0",
                 s.visits] for s in r.schools]
        w.table(header, rows, widths=(70, 30, 30, 20, 20))
    if r.other_school_visits:
        w.paragraph(_t(w, "other_school_visits", n=r.other_school_visits))


def presence(w: SectionWriter, r: EvaluationReport) -> None:
    w.heading(_t(w, "s_presence"))
    p = r.presence
    agreed = (_t(w, "agreed_presence.one") if p.target == 1
              else _t(w, "agreed_presence", n=p.target) if p.target else _t(w, "no_presence"))
    w.paragraph(f"{_t(w, 'agreed')}: {agreed}.")
    header = [_t(w, k) for k in ("weeks_met", "weeks_missed", "week_open", "days_present")]
    if p.target:
        w.table(header, [[p.weeks_met, p.weeks_missed, "1" if p.week_open else "0",
                          p.days_present]], widths=(35, 35, 30, 35))
    else:
        w.table(header[-1:], [[p.days_present]], widths=(35,))


def _bucket_label(w: SectionWriter, b: MeetingBucket) -> str:
    return texts.period_label(b.period, w.lang)


def _target_text(w: SectionWriter, m: MeetingFigures) -> str:
    if m.target is None:
        return _t(w, "no_target")
    return _t(w, "at_least", n=m.target.count, per=texts.code_text(m.target.per, w.lang))


def meetings(w: SectionWriter, r: EvaluationReport) -> None:
    w.heading(_t(w, "s_meetings"))
    if not r.meetings:
        w.paragraph(_t(w, "no_meetings"))
        return
    header = [_t(w, k) for k in ("meeting_type", "part", "target", "held", "verdict")]
    rows = [[texts.code_text(m.meeting_type, w.lang), _bucket_label(w, b), _target_text(w, m),
             b.held, _t(w, b.verdict)] for m in r.meetings for b in m.buckets]
    w.table(header, rows, widths=(38, 52, 32, 14, 44))
    on = sum(m.agendas_on_time for m in r.meetings)
    late = sum(m.agendas_late for m in r.meetings)
    unknown = sum(m.agendas_unknown for m in r.meetings)
    w.paragraph(_t(w, "agendas", days=r.agreement.agenda_lead_days, on=on, late=late,
                   unknown=unknown))


def _breakdown_rows(w: SectionWriter, table: Breakdown,
                    label: Callable[[str], str]) -> list[list[str]]:
    rows: list[list[str]] = [[label(row.key), texts.figure(row.value, w.lang)]
                             for row in table.rows]
    if table.has_total:
        rows.append([_t(w, "total"), texts.figure(table.total, w.lang)])
    return rows


def observations(w: SectionWriter, r: EvaluationReport) -> None:
    w.heading(_t(w, "s_observations"))
    o = r.observations
    w.paragraph(_t(w, "observations_total", n=texts.figure(o.total, w.lang)))
    single_year = len({row.key[:4] for row in o.by_month.rows}) == 1
    labels = [texts.month_label(row.key, w.lang, with_year=not single_year)
              for row in o.by_month.rows]
    w.paragraph(_t(w, "by_month"), bold=True)
    w.bar_chart(labels, [row.value for row in o.by_month.rows])  # labelled with the figures
    w.table([_t(w, "category"), _t(w, "count")],
            [[texts.code_text(row.key, w.lang), texts.figure(row.value, w.lang)]
             for row in o.by_category.rows],
            widths=(60, 30))
    w.table([_t(w, "place"), _t(w, "count")],
            _breakdown_rows(w, o.by_place, lambda k: texts.place_label(k, w.lang)),
            widths=(60, 30))


def cases(w: SectionWriter, r: EvaluationReport) -> None:
    w.heading(_t(w, "s_cases"))
    c = r.cases
    figures = [texts.figure(v, w.lang) for v in (c.opened, c.closed, c.overdue)]
    w.table([_t(w, "cases_opened"), _t(w, "cases_closed"), _t(w, "cases_overdue")],
            [figures], widths=(30, 30, 80))


def callouts(w: SectionWriter, r: EvaluationReport) -> None:
    w.heading(_t(w, "s_callouts"))
    c = r.callouts
    rows = [[texts.code_text(row.event_type, w.lang), texts.figure(row.count, w.lang),
             "–" if row.median_response_minutes is None else row.median_response_minutes]
            for row in c.rows]
    w.table([_t(w, "event_type"), _t(w, "count"), _t(w, "response")], rows,
            widths=(60, 25, 55))
    median = "–" if c.median_response_minutes is None else c.median_response_minutes
    w.paragraph(_t(w, "callouts_total", n=texts.figure(c.total, w.lang), m=median))


def priority_areas(w: SectionWriter, r: EvaluationReport) -> None:
    w.heading(_t(w, "s_areas"))
    if not r.priority_areas:
        w.paragraph(_t(w, "no_areas"))
        return
    header = [_t(w, k) for k in ("area", "meetings", "decisions", "school_visits",
                                 "observations", "callouts", "cases")]
    rows = []
    for a in r.priority_areas:
        rows.append([a.heading(w.lang), a.meetings, a.decisions, a.school_visits,
                     *(texts.figure(v, w.lang) for v in (a.observations, a.callouts, a.cases))])
    w.table(header, rows, widths=(50, 16, 16, 24, 28, 24, 22))


SECTIONS = (schools, presence, meetings, observations, cases, callouts, priority_areas)
