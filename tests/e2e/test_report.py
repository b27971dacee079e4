"""Evaluering in the real web client: open the report, see the figures, export PDF and CSV."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.support.pins import PIN

pytestmark = pytest.mark.e2e

CHART_MIN_PX = 150


def test_setup_with_gjesdal_and_an_observation(ui):
    ui.first_run(PIN)
    ui.serve_gjesdal()
    ui.tap("home-observation")
    ui.tap("obs-categories-unrest")
    ui.fill("obs-place", "Ålgård stasjon")
    ui.tap("obs-priority_area-rus_krim_u18")
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


def test_charts_by_category_and_priority_area(ui):
    categories = ui.content("report-chart-categories")
    # the text alternative lists every category; the one observation is suppressed
    assert "Observasjoner etter kategori: Alkohol 0, Narkotika 0, Vold 0, Uro <3" in categories
    # Drawn by flet_charts, it is as tall as the chart (an unknown control would be one line
    # of red text); scrolled on until no edge of the viewport cuts it.
    ui.page.mouse.move(195, 300)
    ui.page.mouse.wheel(0, 250)
    ui.page.wait_for_function(
        """(min) => { const e = document.querySelector(
                          "[flt-semantics-identifier='report-chart-categories']");
                      return e && e.getBoundingClientRect().height >= min; }""",
        arg=CHART_MIN_PX, timeout=30_000)
    areas = ui.content("report-chart-areas")
    # the observation is linked to the area weighted highest: one, so drawn as "<3"
    assert "18 år (vektlagt høyest): Møter 0, Vedtak 0, Skolebesøk 0, Observasjoner <3" in areas
    # the other area has nothing linked: a sentence instead of an empty chart
    assert "Ingen aktivitet knyttet til området i perioden." in areas
    ui.shot("20b-report-charts")
    ui.page.mouse.wheel(0, 400)
    ui.shot("20c-report-area-charts")


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
