"""The evaluation report as CSV: one figure per line, for a spreadsheet or the archive.

Columns: section, row, measure, value — labels in bokmål (or English), the same suppressed
figures as the PDF ("<3", a range such as "4–5", "vises ikke" for a withheld figure).
Semicolon-separated and UTF-8 with a byte-order mark, which is what Excel with Norwegian
settings opens correctly.

Every cell goes through ``safe_cell`` (the backend's export uses it too): text a spreadsheet
would take for a formula gets a leading single quote (OWASP's rule against CSV injection).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator

from . import texts
from .disclosure import Breakdown
from .evaluation import EvaluationReport

Line = tuple[str, str, str, str]
FORMULA_STARTS = frozenset("=+-@\t\r\n")
# A plain number (a minus, digits, one decimal point or comma) is a figure, not a formula:
# "-3" stays "-3" so that a spreadsheet still sums the column.
PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")


def safe_cell(value: str) -> str:
    """``value`` as a cell no spreadsheet runs: a leading quote when, after any spaces, it
    starts with = + - @ (also full-width ones such as "＝", which some spreadsheets take for
    "="), a tab or a line break; a plain number such as "-3" is left as it is."""
    if PLAIN_NUMBER.fullmatch(value):
        return value
    stripped = value.lstrip(" \u00a0\u2007\u202f\u3000\ufeff\u200b")
    first = stripped[:1]
    if first and (first in FORMULA_STARTS or first.isspace()
                  or unicodedata.normalize("NFKC", first)[:1] in FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(cells: Iterable[object]) -> list[str]:
    return [safe_cell("" if cell is None else str(cell)) for cell in cells]


def _breakdown(section: str, table: Breakdown, label: Callable[[str], str],
               lang: str) -> Iterator[Line]:
    count = texts.text("count", lang)
    for row in table.rows:
        yield section, label(row.key), count, texts.figure(row.value, lang)
    if table.has_total:
        yield section, texts.text("total", lang), count, texts.figure(table.total, lang)


def _compliance(r: EvaluationReport, lang: str) -> Iterator[Line]:
    def t(key: str) -> str:
        return texts.text(key, lang)

    for s in r.schools:
        for key, value in (("windows_met", s.windows_met), ("windows_missed", s.windows_missed),
                           ("window_open", int(s.window_open)), ("visits", s.visits)):
            yield t("s_schools"), s.school, t(key), str(value)
    p = r.presence
    for key, value in (("weeks_met", p.weeks_met), ("weeks_missed", p.weeks_missed),
                       ("week_open", int(p.week_open)), ("days_present", p.days_present)):
        yield t("s_presence"), "", t(key), str(value)
    for m in r.meetings:
        kind = texts.code_text(m.meeting_type, lang)
        for b in m.buckets:
            part = f"{kind}, {texts.period_label(b.period, lang)}"
            yield t("s_meetings"), part, t("held"), str(b.held)
            yield t("s_meetings"), part, t("verdict"), t(b.verdict)
        for key in ("agendas_on_time", "agendas_late", "agendas_unknown"):
            yield t("s_meetings"), kind, t(key), str(getattr(m, key))


def _activity(r: EvaluationReport, lang: str) -> Iterator[Line]:
    def t(key: str) -> str:
        return texts.text(key, lang)

    o = r.observations
    section = t("s_observations")
    yield section, t("total"), t("count"), texts.figure(o.total, lang)
    yield from _breakdown(section, o.by_month, lambda k: texts.month_label(k, lang), lang)
    yield from _breakdown(section, o.by_category, lambda k: texts.code_text(k, lang), lang)
    yield from _breakdown(section, o.by_place, lambda k: texts.place_label(k, lang), lang)
    for key in ("opened", "closed", "overdue"):
        yield t("s_cases"), "", t(f"cases_{key}"), texts.figure(getattr(r.cases, key), lang)
    median = r.callouts.median_response_minutes
    yield t("s_callouts"), t("total"), t("count"), texts.figure(r.callouts.total, lang)
    yield t("s_callouts"), t("total"), t("response"), "" if median is None else str(median)
    for row in r.callouts.rows:
        label = texts.code_text(row.event_type, lang)
        yield t("s_callouts"), label, t("count"), texts.figure(row.count, lang)
        median = row.median_response_minutes
        yield t("s_callouts"), label, t("response"), "" if median is None else str(median)
    for a in r.priority_areas:
        title = a.title(lang)
        for key in ("meetings", "decisions", "school_visits", "observations", "callouts",
                    "cases"):
            yield t("s_areas"), title, t(key), texts.figure(getattr(a, key), lang)


def to_csv(report: EvaluationReport, lang: str = "nb") -> str:
    """The report as CSV text (write it with ``encoding="utf-8-sig"`` for Excel)."""
    lang = texts.lang_of(lang)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([texts.text(k, lang) for k in ("csv_section", "csv_row", "csv_measure",
                                                   "csv_value")])
    writer.writerows(safe_row(line) for line in _compliance(report, lang))
    writer.writerows(safe_row(line) for line in _activity(report, lang))
    return out.getvalue()


def to_csv_bytes(report: EvaluationReport, lang: str = "nb") -> bytes:
    """UTF-8 with a byte-order mark, ready to save as a .csv file."""
    return to_csv(report, lang).encode("utf-8-sig")
