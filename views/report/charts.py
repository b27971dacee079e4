"""The Evaluering screen's charts: observations by category and each priority area's linked
activity, as flet_charts bar charts (the bundled web client renders them offline).

A figure of "<3" is drawn at its upper bound 2 in a lighter colour and labelled "<3", never
exact (``presenter.drawn``). The charts are not interactive, so no tooltip can show the
drawn height. Each chart carries a text alternative for screen readers listing its values
(``presenter.chart_values``); the drawing itself is left out of the semantics tree.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft
import flet_charts as fch

from ..kit.widgets import tagged
from . import presenter as logic

CHART_HEIGHT = 170
BAR_WIDTH = 22
VALUE_LABEL_SIZE = 20   # the figure above each bar
NAME_LABEL_SIZE = 34    # the name under each bar: two short lines
LABEL_TEXT = 11
LABEL_WIDTH = 56        # six bars share a phone's width (about 358 px)


def _label(text: str, *, bold: bool = False) -> ft.Control:
    """An axis label as wide as a bar's slot at most, so long names wrap onto two lines."""
    return ft.Container(width=LABEL_WIDTH, content=ft.Text(
        text, size=LABEL_TEXT, text_align=ft.TextAlign.CENTER, max_lines=2,
        weight=ft.FontWeight.W_600 if bold else None, overflow=ft.TextOverflow.ELLIPSIS))


def _rod(value: logic.Figure) -> fch.BarChartRod:
    suppressed = value == logic.SUPPRESSED
    return fch.BarChartRod(
        from_y=0, to_y=logic.drawn(value), width=BAR_WIDTH,
        color=ft.Colors.SECONDARY_CONTAINER if suppressed else ft.Colors.PRIMARY,
        border_radius=ft.BorderRadius.only(top_left=4, top_right=4))


def bar_chart(bars: list[tuple[str, logic.Figure]], alt: str,
              names: list[str] | None = None) -> ft.Control:
    """One bar per (label, figure); ``alt``: the text a screen reader reads instead;
    ``names``: shorter labels under the bars (default: the bars' own labels)."""
    top = logic.largest([v for _, v in bars])
    names = names or [name for name, _ in bars]
    chart = fch.BarChart(
        groups=[fch.BarChartGroup(x=i, rods=[_rod(v)]) for i, (_, v) in enumerate(bars)],
        max_y=max(top, 1), interactive=False, height=CHART_HEIGHT,
        group_alignment=ft.MainAxisAlignment.SPACE_AROUND,
        top_axis=fch.ChartAxis(label_size=VALUE_LABEL_SIZE, labels=[
            fch.ChartAxisLabel(value=i, label=_label(str(v), bold=True))
            for i, (_, v) in enumerate(bars)]),
        bottom_axis=fch.ChartAxis(label_size=NAME_LABEL_SIZE, labels=[
            fch.ChartAxisLabel(value=i, label=_label(name)) for i, name in enumerate(names)]),
        left_axis=fch.ChartAxis(show_labels=False), right_axis=fch.ChartAxis(show_labels=False),
        border=ft.Border(bottom=ft.BorderSide(1, ft.Colors.OUTLINE)))  # the zero line
    return ft.Semantics(label=alt, container=True, exclude_semantics=True, content=chart)


def category_chart(report: logic.EvaluationReport, lang: str, t: Callable[..., str]) -> ft.Control:
    """Observations by category (ident ``report-chart-categories``)."""
    bars = logic.category_bars(report, lang)
    title = t("report.chart_categories")
    alt = t("report.chart_alt", title=title, values=logic.chart_values(bars))
    return tagged("report-chart-categories", bar_chart(bars, alt))


def area_charts(report: logic.EvaluationReport, lang: str,
                t: Callable[..., str]) -> ft.Control | None:
    """Each priority area's linked activity (ident ``report-chart-areas``); None without areas."""
    found = logic.area_bars(report, lang)
    if not found:
        return None
    # under the bars the measures' short names (two lines at most); the report's own labels
    # are in the text alternative
    names = [t(f"report.axis_{key}") for key in logic.AREA_MEASURES]
    controls: list[ft.Control] = []
    for title, bars in found:
        controls.append(ft.Text(title, size=15, weight=ft.FontWeight.W_600))
        if all(value == 0 for _, value in bars):  # an empty chart says less than a sentence
            controls.append(ft.Text(t("report.area_no_activity"), size=14, italic=True))
            continue
        alt = t("report.chart_alt", title=title, values=logic.chart_values(bars))
        controls.append(bar_chart(bars, alt, names))
    return tagged("report-chart-areas", ft.Column(controls, spacing=6))
