"""Evaluering: no agreement, the figures with "<3" suppression and the charts' text
alternatives, the year and half-year choices, and a municipality picker for two."""

from __future__ import annotations

from tests.screens import records
from views.report import presenter


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


def test_the_report_says_counting_starts_when_the_logbook_came_into_use(lb, screens, clock):
    records.serve(lb)
    records.visit(lb, clock.now())  # the first record: Wednesday 11 March 2026
    ui = screens("/rapport")
    note = ui.text("report-counting")
    assert "Tellingen starter 11.03.2026, da loggboken ble tatt i bruk." in note
    # the visit periods as dates counted, never the agreement's signing date (28.02.2011)
    assert "Telt i faste perioder på 14 dager, mandag til søndag, fra 09.03.2026" in note
    assert "2011" not in note
    assert not any("(er)" in t for t in ui.texts())
    # January and February are neither missed weeks nor missed visit windows
    assert "Gjesdal ungdomsskole · Ikke oppfylt\n0\n" in ui.text("report-section-0")
    assert "Uker ikke oppfylt\n0\n" in ui.text("report-section-1")


def _exporting_to(monkeypatch, folder):
    """The in-memory logbook has no data directory: export into ``folder`` instead."""
    real = presenter.export
    monkeypatch.setattr(presenter, "export",
                        lambda data_dir, report, fmt, lang: real(folder, report, fmt, lang))


PHONE = {"web": False, "platform": "android"}


def test_export_names_the_file_and_its_folder_and_the_phone_shares_it(lb, screens, clock,
                                                                       monkeypatch, tmp_path):
    records.serve(lb)
    records.observation(lb, clock.now())
    _exporting_to(monkeypatch, tmp_path)
    ui = screens("/rapport", page=PHONE)
    assert not ui.has("report-share")  # nothing saved yet
    ui.tap("report-export-pdf")
    said = ui.text("report-exported")
    assert said == "Lagret som evaluering-1122-2026.pdf i mappen «exports» i appens lagring."
    assert "Rapporten er lagret som evaluering-1122-2026.pdf." in ui.toasts()
    assert ui.text("report-share") == "Del eller åpne"
    ui.client.answers["share_files"] = {"status": "success", "raw": "shared"}
    ui.tap("report-share")
    (args,) = [a for name, a in ui.client.calls if name == "share_files"]
    (shared,) = args["files"]
    assert shared.name == "evaluering-1122-2026.pdf" and shared.mime_type == "application/pdf"
    assert shared.data == (tmp_path / "exports" / "evaluering-1122-2026.pdf").read_bytes()
    assert shared.data.startswith(b"%PDF")


def test_share_unavailable_says_where_the_file_is(lb, screens, clock, monkeypatch, tmp_path):
    records.serve(lb)
    records.observation(lb, clock.now())
    _exporting_to(monkeypatch, tmp_path)
    ui = screens("/rapport", page=PHONE)
    ui.tap("report-export-csv")
    ui.client.answers["share_files"] = {"status": "unavailable", "raw": ""}
    ui.tap("report-share")
    assert ("Deling er ikke mulig her. Rapporten ligger i mappen «exports» i appens lagring."
            in ui.toasts())


def test_the_web_client_downloads_the_saved_report(lb, screens, clock, monkeypatch, tmp_path):
    """In a browser the share sheet is missing (share_plus fails on navigator.canShare in
    Chromium on Linux): the file is handed over as a download with its bytes."""
    records.serve(lb)
    records.observation(lb, clock.now())
    _exporting_to(monkeypatch, tmp_path)
    ui = screens("/rapport")
    ui.tap("report-export-csv")
    assert ui.text("report-share") == "Last ned"
    ui.tap("report-share")
    (args,) = [a for name, a in ui.client.calls if name == "save_file"]
    assert args["file_name"] == "evaluering-1122-2026.csv"
    assert args["src_bytes"] == (tmp_path / "exports" / "evaluering-1122-2026.csv").read_bytes()
    assert not [name for name, _ in ui.client.calls if name == "share_files"]
    assert "evaluering-1122-2026.csv er lastet ned." in ui.toasts()
