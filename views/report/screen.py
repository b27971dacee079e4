"""Evaluering: the yearly (or half-yearly) evaluation of the cooperation agreement.

Choose year, half-year and municipality (no picker when there is only one); the figures are
``fieldapp.report``'s, with its "<3" suppression, laid out as in the CSV; observations per
month as a bar chart drawn with Containers, by category and per priority area as flet_charts
bar charts (``charts``); every chart has a text alternative listing its values.
"Eksporter PDF"/"Eksporter CSV" write the report into the data directory's ``exports/`` folder
(see ``presenter.export``) and say so by name. The app's own folder is private on a phone, so
"Del eller åpne" hands the file to the platform's share sheet (Flet's Share service: another
app opens, sends or saves it); in the web client "Last ned" downloads it (Flet's FilePicker
with the bytes: Chromium on Linux has no share sheet, and share_plus fails there on
``navigator.canShare``).
"""

from __future__ import annotations

import logging
from pathlib import Path

import flet as ft

from ..kit.widgets import big_button, card, heading, single_choice, small_button, tagged
from ..shell import Body, Screen
from . import charts
from . import presenter as logic

log = logging.getLogger(__name__)

CHART_HEIGHT = 120
BAR_WIDTH = 18
EXPORT_HEIGHT = 56


class ReportPanel:
    """The choices, the figures (re-rendered on every choice) and the export actions."""

    def __init__(self, screen: Screen):
        self.screen = screen
        lb = screen.logbook
        self.choices = logic.report_choices(lb.municipalities(), lb.agreements.all())
        self.years = logic.year_options(screen.app.now())
        self.year, self.half = self.years[0], 0
        self.code = self.choices[0].code if self.choices else ""
        self.figures = ft.Column(spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        self.exported = ft.Text("", size=16, color=ft.Colors.PRIMARY)
        self.exported_box = ft.Column([
            tagged("report-exported", self.exported),
            small_button(self.t("report.download" if screen.page.web else "report.share"),
                         self._share, ident="report-share",
                         icon=ft.Icons.DOWNLOAD if screen.page.web else ft.Icons.SHARE)],
            spacing=8,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        self.exported_box.visible = False
        self.report: logic.EvaluationReport | None = None
        self.saved: Path | None = None
        self._sharer: ft.Share | None = None
        self._saver: ft.FilePicker | None = None

    def t(self, key: str, **params: object) -> str:
        return self.screen.t(key, **params)

    def controls(self) -> list[ft.Control]:
        if not self.choices:
            return [tagged("report-none", ft.Text(self.t("report.no_agreement"), size=16))]
        controls: list[ft.Control] = []
        if len(self.choices) > 1:
            towns = [(c.code, c.name) for c in self.choices]
            controls += [heading(self.t("report.municipality")),
                         single_choice("report-municipality", towns, self.code,
                                       lambda v: self._choose(code=v))]
        halves = [("0", self.t("report.whole_year")), ("1", self.t("report.half1")),
                  ("2", self.t("report.half2"))]
        controls += [
            heading(self.t("report.year")),
            single_choice("report-year", [(str(y), str(y)) for y in self.years], str(self.year),
                          lambda v: self._choose(year=int(v))),
            heading(self.t("report.period")),
            single_choice("report-half", halves, "0", lambda v: self._choose(half=int(v))),
            self.exported_box, self.figures]
        self._render()
        return controls

    def _choose(self, **values: int | str) -> None:
        for key, value in values.items():
            setattr(self, key, value)
        self._render()
        self.figures.update()

    def _render(self) -> None:
        choice = next(c for c in self.choices if c.code == self.code)
        report = self.report = logic.make_report(choice.agreement, self.screen.logbook.list(),
                                                 year=self.year, half=self.half,
                                                 now=self.screen.app.now())
        lang = self.screen.lang
        controls: list[ft.Control] = [
            tagged("report-heading", ft.Text(f"{self.t('report.title')} – {choice.name}",
                                             size=18, weight=ft.FontWeight.W_600)),
            ft.Text(self.t("report.suppressed_note"), size=14, italic=True),
            tagged("report-counting", ft.Text(logic.counting_note(report, lang), size=14)),
            heading(self.t("report.chart")), self._chart(report),
            heading(self.t("report.chart_categories")),
            charts.category_chart(report, lang, self.t)]
        areas = charts.area_charts(report, lang, self.t)
        if areas is not None:
            controls += [heading(self.t("report.chart_areas")), areas]
        controls.append(ft.Text(self.t("report.chart_legend"), size=13, italic=True))
        for i, (section, rows) in enumerate(logic.sections(report, lang)):
            controls += [heading(section), card(*(self._row(r) for r in rows),
                                                ident=f"report-section-{i}")]
        self.figures.controls = controls

    @staticmethod
    def _row(row: tuple[str, ...]) -> ft.Control:
        label = " · ".join(p for p in row[:2] if p)
        return ft.Row([ft.Text(label, size=15, expand=True),
                       ft.Text(row[2], size=15, weight=ft.FontWeight.W_600)])

    def _chart(self, report: logic.EvaluationReport) -> ft.Control:
        bars = logic.month_bars(report)
        top = logic.largest([v for _, v in bars])
        columns: list[ft.Control] = []
        for month, value in bars:
            suppressed = value == logic.SUPPRESSED
            bar = ft.Container(
                width=BAR_WIDTH, height=max(logic.bar_height(value, top, CHART_HEIGHT), 2),
                bgcolor=ft.Colors.SECONDARY_CONTAINER if suppressed else ft.Colors.PRIMARY,
                border_radius=ft.BorderRadius.only(top_left=4, top_right=4))
            columns.append(ft.Column(
                [ft.Text(str(value), size=11), bar, ft.Text(month, size=11)],
                spacing=2, horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                alignment=ft.MainAxisAlignment.END))
        alt = self.t("report.chart_alt", title=self.t("report.chart"),
                     values=logic.chart_values(bars))
        row = ft.Row(columns, spacing=4, alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                     vertical_alignment=ft.CrossAxisAlignment.END)
        return tagged("report-chart", ft.Semantics(label=alt, container=True,
                                                   exclude_semantics=True, content=row))

    async def export(self, fmt: str) -> None:
        lb, report, lang = self.screen.app.logbook, self.report, self.screen.lang
        if lb is None or report is None:
            return
        try:
            path = await self.screen.in_background(
                lambda: logic.export(lb.data_dir, report, fmt, lang))
        except OSError:
            self.screen.toast(self.t("report.export_failed"))
            return
        self.saved = path
        self.exported.value = self.t("report.exported", name=path.name,
                                     folder=path.parent.name)
        self.exported_box.visible = True
        self.screen.confirm_saved(self.t("report.exported_short", name=path.name))
        self.screen.page.update()

    async def _share(self, e: object) -> None:
        """The saved file to the share sheet (open in a PDF app, mail, save to Files), or in
        the web client a download."""
        path = self.saved
        if path is None:
            return
        try:
            data = await self.screen.in_background(path.read_bytes)
            if self.screen.page.web:
                await self._download(path, data)
                return
            if self._sharer is None:
                self._sharer = ft.Share()
            result = await self._sharer.share_files(
                [ft.ShareFile.from_bytes(data, mime_type=logic.mime_type(path), name=path.name)],
                title=path.name, subject=self.t("report.title"))
        except Exception as exc:  # a client or file error: say so, keep the screen
            log.info("share failed: %s", type(exc).__name__)
            self.screen.toast(self.t("report.share_failed"))
            return
        if result.status == ft.ShareResultStatus.UNAVAILABLE:
            self.screen.toast(self.t("report.share_unavailable", folder=path.parent.name))

    async def _download(self, path: Path, data: bytes) -> None:
        if self._saver is None:
            self._saver = ft.FilePicker()
        await self._saver.save_file(file_name=path.name, src_bytes=data)
        self.screen.toast(self.t("report.downloaded", name=path.name))


def report_screen(screen: Screen) -> Body:
    panel = ReportPanel(screen)
    controls = panel.controls()
    bottom: list[ft.Control] = []
    if panel.choices:

        async def pdf(e: object) -> None:
            await panel.export("pdf")

        async def csv(e: object) -> None:
            await panel.export("csv")

        bottom = [
            big_button(screen.t("report.export_pdf"), pdf, ident="report-export-pdf",
                       icon=ft.Icons.PICTURE_AS_PDF, primary=True, height=EXPORT_HEIGHT),
            big_button(screen.t("report.export_csv"), csv, ident="report-export-csv",
                       icon=ft.Icons.TABLE_CHART, height=EXPORT_HEIGHT)]
    return Body(screen.t("report.title"), controls, bottom=bottom)
