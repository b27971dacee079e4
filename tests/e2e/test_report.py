"""Evaluering in the real web client: open the report, see the figures, export PDF and CSV."""

from __future__ import annotations

import shutil
import subprocess

import pytest

pytestmark = pytest.mark.e2e

PIN = "482913"


def test_setup_with_gjesdal_and_an_observation(ui):
    ui.first_run(PIN)
    ui.tap("nav-settings")
    ui.tap("preset-gjesdal")
    ui.see("Gjesdal ungdomsskole")
    ui.tap("nav-back")
    ui.tap("home-observation")
    ui.tap("obs-categories-unrest")
    ui.fill("obs-place", "Ålgård stasjon")
    ui.tap("obs-save")
    ui.see("Observasjon lagret")
    ui.wait("home-evaluation")


def test_report_screen_shows_figures_with_suppression(ui):
    ui.tap("home-evaluation")
    assert "Evaluering – Gjesdal" in ui.content("report-heading")
    ui.wait("report-chart")
    assert "<3" in ui.content("report-chart")   # one observation this month: suppressed
    ui.shot("20-report")
    assert ui.unnamed_targets() == []


def test_export_pdf_and_csv_into_the_data_directory(ui, app_server):
    ui.tap("report-export-pdf")
    assert "evaluering-1122-" in ui.content("report-exported")
    exports = app_server.data_root / "data" / "exports"
    pdfs = sorted(exports.glob("evaluering-1122-*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].stat().st_size > 1000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdfs[0]), "-"], capture_output=True,
                              text=True, timeout=60).stdout
        assert "Evaluering av samarbeidsavtalen" in text
    ui.tap("report-export-csv")
    ui.see(".csv")
    assert sorted(exports.glob("evaluering-1122-*.csv"))
