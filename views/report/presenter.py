"""What the Evaluering screen shows and exports, without flet (so tests need no client).

    choices = report_choices(lb.municipalities(), lb.agreements.all())
    report = make_report(choices[0].agreement, lb.list(), year=2026, half=None, now=now)
    sections(report, "nb")        -> [(section title, [(row, measure, value), …]), …]
    category_bars(report, "nb")   -> [("Alkohol", 4), ("Narkotika", "<3"), …]   (also month_bars,
    area_bars)                       bars drawn at ``drawn(value)``: "<3" as 2, never exact
    path = export(lb.data_dir, report, "pdf", "nb")   -> data_dir/exports/evaluering-….pdf
    counting_note(report, "nb")   -> "Tellingen starter 01.12.2026, … Telt i faste perioder …"

The figures are fieldapp.report's own (with its "<3" suppression); the screen only lays them out.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from fieldapp.domain.agreement import Agreement, agreement_for
from fieldapp.domain.messages import code_label
from fieldapp.domain.records import Record
from fieldapp.report import EvaluationReport as EvaluationReport
from fieldapp.report import Period, build_evaluation, render_pdf, texts, to_csv
from fieldapp.report.disclosure import SUPPRESSED as SUPPRESSED
from fieldapp.report.disclosure import Figure as Figure
from fieldapp.report.disclosure import bounds
from fieldapp.report.sections import counted_windows, started

EXPORT_DIR = "exports"
FORMATS = ("pdf", "csv")
MIME_TYPES = {"pdf": "application/pdf", "csv": "text/csv"}
HALVES = (0, 1, 2)   # 0: the whole year
YEARS_BACK = 3
AREA_MEASURES = ("meetings", "decisions", "school_visits", "observations", "callouts", "cases")


@dataclass(frozen=True)
class Choice:
    code: str
    name: str
    agreement: Agreement


def report_choices(served: list[dict[str, Any]], agreements: dict[str, Agreement],
                   ) -> list[Choice]:
    """The municipalities served that have an agreement (stored, else signed default); with
    none served, the stored agreements themselves. ``agreements``: ``lb.agreements.all()``."""
    result: list[Choice] = []
    for m in served:
        agreement = agreement_for(str(m.get("code", "")), agreements)
        if agreement is not None and all(c.code != agreement.municipality for c in result):
            result.append(Choice(agreement.municipality, str(m.get("name") or
                                                             agreement.municipality_name),
                                 agreement))
    if not result:
        result = [Choice(a.municipality, a.municipality_name, a) for a in agreements.values()]
    return result


def year_options(now: datetime) -> list[int]:
    return [now.year - i for i in range(YEARS_BACK)]


def period_for(year: int, half: int) -> Period:
    return Period.half(year, half) if half else Period.year(year)


def make_report(agreement: Agreement, records: list[Record], *, year: int, half: int,
                now: datetime) -> EvaluationReport:
    return build_evaluation(agreement, records, period_for(year, half), now)


def sections(report: EvaluationReport, lang: str) -> list[tuple[str, list[tuple[str, ...]]]]:
    """The report's figures grouped by section, exactly as in the CSV export."""
    rows = list(csv.reader(io.StringIO(to_csv(report, lang)), delimiter=";"))[1:]
    grouped: dict[str, list[tuple[str, ...]]] = {}
    for section, row, measure, value in rows:
        grouped.setdefault(section, []).append((row, measure, value))
    return list(grouped.items())


def month_bars(report: EvaluationReport) -> list[tuple[str, Figure]]:
    """Observations per month: ("MM", figure), "<3" where suppressed."""
    # breakdown() rows are always figures; only totals are withheld (None)
    return [(row.key[5:], cast(Figure, row.value)) for row in report.observations.by_month.rows]


def category_bars(report: EvaluationReport, lang: str) -> list[tuple[str, Figure]]:
    """Observations by category (an observation may have several): (label, figure)."""
    return [(code_label(row.key, lang), _shown(row.value, lang))
            for row in report.observations.by_category.rows]


def area_bars(report: EvaluationReport, lang: str) -> list[tuple[str, list[tuple[str, Figure]]]]:
    """Per priority area: (title, [(measure label, figure), …]) with the report's own labels
    (the area weighted highest marked so); its counts about people are "<3" where small."""
    return [(area.heading(lang), [(texts.text(key, lang), _shown(getattr(area, key), lang))
                                  for key in AREA_MEASURES])
            for area in report.priority_areas]


def chart_values(bars: list[tuple[str, Figure]]) -> str:
    """The figures as a screen reader reads them: "Alkohol 4, Narkotika <3, Vold 0"."""
    return ", ".join(f"{label} {value}" for label, value in bars)


def _shown(value: Figure | None, lang: str) -> Figure:
    """A withheld figure (None) as the report's words for it ("vises ikke")."""
    return texts.figure(value, lang) if value is None else value


def drawn(value: Figure) -> int:
    """What a bar is drawn as: "<3" or a range ("4–5") as its upper bound, never exact; a
    withheld figure ("vises ikke") not at all."""
    if isinstance(value, int) or value == SUPPRESSED or value[:1].isdigit():
        return bounds(value)[1]
    return 0


def bar_height(value: Figure, largest: int, full: float) -> float:
    """Bar height in px (see ``drawn``)."""
    return 0.0 if largest <= 0 else full * drawn(value) / largest


def largest(values: list[Figure]) -> int:
    return max([drawn(v) for v in values] or [0])


def counting_note(report: EvaluationReport, lang: str) -> str:
    """Where counting starts, when the logbook came into use after the period began, and the
    visit periods counted (the report's own sentences)."""
    parts = [started(report, lang)]
    if report.agreement.schools:
        parts.append(counted_windows(report, lang))
    return " ".join(p for p in parts if p)


def mime_type(path: Path) -> str:
    return MIME_TYPES.get(path.suffix.lstrip("."), "application/octet-stream")


def export_name(report: EvaluationReport, fmt: str) -> str:
    p = report.period
    half = "" if (p.start.month, p.end.month) == (1, 12) else \
        ("-h1" if p.start.month == 1 else "-h2")
    return f"evaluering-{report.agreement.municipality}-{p.start.year}{half}.{fmt}"


def export(data_dir: Path | None, report: EvaluationReport, fmt: str, lang: str) -> Path:
    """Write the report into ``data_dir/exports``. Plaintext on purpose: the report holds only
    non-personal aggregates (counts below 3 shown as "<3"), made for the council's meeting."""
    if fmt not in FORMATS:
        raise ValueError("unknown format")
    if data_dir is None:
        raise OSError("no data directory")
    folder = Path(data_dir) / EXPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / export_name(report, fmt)
    data = render_pdf(report, lang) if fmt == "pdf" else to_csv(report, lang).encode("utf-8-sig")
    path.write_bytes(data)
    return path
