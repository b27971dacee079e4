"""The Evaluering screen's logic: which municipalities, the figures as shown, the export."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime

import pytest

from fieldapp.domain import Observation
from fieldapp.domain.agreement import default_agreement
from fieldapp.domain.meetings import AgendaItem, Decision, Meeting
from views.report import presenter as logic

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
GJESDAL = {"code": "1122", "name": "Gjesdal", "schools": []}


def _observations(month_counts: dict[int, int]) -> list[Observation]:
    return [Observation(municipality="1122", place="Torget", categories={"unrest"},
                        observed_at=datetime(2026, month, 10, 18, tzinfo=UTC))
            for month, n in month_counts.items() for _ in range(n)]


def test_choices_come_from_the_municipalities_served():
    assert [c.code for c in logic.report_choices([GJESDAL], {})] == ["1122"]
    unknown = {"code": "9999", "name": "Ukjent"}
    assert logic.report_choices([unknown], {}) == []
    stored = {"5035": default_agreement("stjordal")}
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


def test_bars_by_category_keep_the_suppression_and_use_the_category_labels():
    observations = [Observation(municipality="1122", place="Torget", categories={"alcohol"},
                                observed_at=datetime(2026, 2, d, 20, tzinfo=UTC))
                    for d in (1, 2, 3, 4)]
    observations.append(Observation(municipality="1122", place="Torget",
                                    categories={"drugs", "alcohol"},
                                    observed_at=datetime(2026, 2, 5, 20, tzinfo=UTC)))
    report = logic.make_report(default_agreement("1122"), observations, year=2026, half=0,
                               now=NOW)
    assert logic.category_bars(report, "nb") == [
        ("Alkohol", 5), ("Narkotika", "<3"), ("Vold", 0), ("Uro", 0), ("Sårbar ungdom", 0),
        ("Annet", 0)]
    assert logic.category_bars(report, "en")[1] == ("Drugs", "<3")
    bars = logic.category_bars(report, "nb")
    assert [logic.drawn(v) for _, v in bars] == [5, 2, 0, 0, 0, 0]  # "<3" drawn as 2
    assert logic.chart_values(bars[:3]) == "Alkohol 5, Narkotika <3, Vold 0"


def test_bars_per_priority_area_with_the_reports_labels():
    meeting = Meeting(municipality="1122", meeting_type="politirad",
                      starts_at=datetime(2026, 3, 12, 18, tzinfo=UTC),
                      agenda=[AgendaItem(public_title="Ungdom i sentrum",
                                         priority_area="ungdomsmiljo")],
                      decisions=[Decision(text="Mer til stede i helgene",
                                          priority_area="ungdomsmiljo")])
    report = logic.make_report(default_agreement("1122"), [meeting], year=2026, half=0,
                               now=NOW)
    found = dict(logic.area_bars(report, "nb"))
    assert list(found) == ["Rus- og kriminalitetsforebygging blant unge under 18 år "
                           "(vektlagt høyest)", "Til stede der ungdom oppholder seg"]
    assert found["Til stede der ungdom oppholder seg"] == [
        ("Møter", 1), ("Vedtak", 1), ("Skolebesøk", 0), ("Observasjoner", 0),
        ("Innkallinger", 0), ("U18-saker", 0)]
    english = [title for title, _ in logic.area_bars(report, "en")]
    assert english[1] == "Present where young people gather"
