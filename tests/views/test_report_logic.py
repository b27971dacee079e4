"""The Evaluering screen's logic: which municipalities, the figures as shown, the export."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime

import pytest

from fieldapp.domain import Observation
from fieldapp.domain.agreement import agreements_to_json, default_agreement
from views import report_logic as logic

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
GJESDAL = {"code": "1122", "name": "Gjesdal", "schools": []}


def _observations(month_counts: dict[int, int]) -> list[Observation]:
    return [Observation(municipality="1122", place="Torget", categories={"unrest"},
                        observed_at=datetime(2026, month, 10, 18, tzinfo=UTC))
            for month, n in month_counts.items() for _ in range(n)]


def test_choices_come_from_the_municipalities_served():
    assert [c.code for c in logic.report_choices([GJESDAL], [])] == ["1122"]
    unknown = {"code": "9999", "name": "Ukjent"}
    assert logic.report_choices([unknown], None) == []
    stored = agreements_to_json([default_agreement("stjordal")])
    both = logic.report_choices([GJESDAL, {"code": "5035", "name": "Stjørdal"}], stored)
    assert [(c.code, c.name) for c in both] == [("1122", "Gjesdal"), ("5035", "Stjørdal")]
    assert [c.code for c in logic.report_choices([], stored)] == ["5035"]


def test_periods_and_years():
    assert logic.year_options(NOW) == [2026, 2025, 2024]
    assert logic.period_for(2026, 0).end.month == 12
    assert logic.period_for(2026, 2).start.month == 7


def test_figures_are_suppressed_under_three_and_bars_never_exact():
    report = logic.make_report(default_agreement("1122"), _observations({3: 1, 5: 4}),
                               year=2026, half=1, now=NOW)
    bars = dict(logic.month_bars(report))
    assert list(bars) == ["01", "02", "03", "04", "05", "06"]
    assert bars["03"] == "<3" and bars["05"] == 4 and bars["01"] == 0
    top = logic.largest(list(bars.values()))
    assert top == 4 and logic.bar_height("<3", top, 100) == 50.0
    flat = [v for _, rows in logic.sections(report, "nb") for *_, v in rows]
    assert "<3" in flat and "1" not in flat


def test_export_names_and_files(tmp_path):
    agreement = default_agreement("1122")
    year = logic.make_report(agreement, [], year=2026, half=0, now=NOW)
    half = logic.make_report(agreement, [], year=2026, half=2, now=NOW)
    assert logic.export_name(year, "pdf") == "evaluering-1122-2026.pdf"
    assert logic.export_name(half, "csv") == "evaluering-1122-2026-h2.csv"
    csv_path = logic.export(tmp_path, half, "csv", "nb")
    assert csv_path.parent == tmp_path / "exports"
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(ValueError):
        logic.export(tmp_path, year, "xlsx", "nb")
    with pytest.raises(OSError):
        logic.export(None, year, "pdf", "nb")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
def test_exported_pdf_has_the_heading(tmp_path):
    report = logic.make_report(default_agreement("1122"), _observations({2: 5}), year=2026,
                               half=0, now=NOW)
    path = logic.export(tmp_path, report, "pdf", "nb")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          timeout=60).stdout
    assert "Evaluering av samarbeidsavtalen" in text and "Gjesdal" in text
