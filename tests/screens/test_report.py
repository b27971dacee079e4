"""Evaluering: no agreement, the figures with "<3" suppression and the charts' text
alternatives, the year and half-year choices, and a municipality picker for two."""

from __future__ import annotations

from tests.screens import records


def test_without_an_agreement_there_is_no_report(ui):
    ui.tap("home-evaluation")
    assert ui.title == "Evaluering" and ui.has("report-none")
    assert not ui.has("report-export-pdf") and not ui.has("report-export-csv")


def test_figures_with_suppression(lb, screens, clock):
    records.serve(lb)
    records.observation(lb, clock.now())
    ui = screens("/rapport")
    assert ui.text("report-heading") == "Evaluering – Gjesdal"
    assert "<3" in ui.text("report-chart")  # one observation this month: suppressed
    assert ("Observasjoner etter kategori: Alkohol 0, Narkotika 0, Vold 0, Uro <3"
            in ui.text("report-chart-categories"))
    assert "Ingen aktivitet knyttet til området i perioden." in ui.text("report-chart-areas")
    assert ui.idents("report-section-")
    assert ui.has("report-export-pdf") and ui.has("report-export-csv")
    assert not ui.has("report-municipality-1122")  # one municipality: no picker


def test_another_period_is_drawn_again(lb, screens, clock):
    records.serve(lb)
    records.observation(lb, clock.now())  # March: the first half-year
    ui = screens("/rapport")
    ui.tap("report-half-2")
    assert ui.find("report-half-2").selected and not ui.find("report-half-0").selected
    assert "<3" not in ui.text("report-chart-categories")
    ui.tap("report-half-1")
    assert "Uro <3" in ui.text("report-chart-categories")


def test_two_municipalities_get_a_picker(lb, screens):
    records.serve(lb, records.GJESDAL, records.STJORDAL)
    ui = screens("/rapport")
    assert ui.idents("report-municipality-") == ["report-municipality-1122",
                                                 "report-municipality-5035"]
    ui.tap("report-municipality-5035")
    assert ui.text("report-heading") == "Evaluering – Stjørdal"
