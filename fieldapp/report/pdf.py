"""The evaluation report as a PDF for the police council's first meeting of the year (fpdf2).

Why fpdf2: it is pure Python, so it runs in Flet's phone builds as well as on the municipal
backend. Its own dependencies are fontTools (pure Python), defusedxml (pure Python) and Pillow,
which fpdf2 needs only for images — this report has none — and which Flet's package index
for Android and iOS (pypi.flet.dev) carries anyway.

Font: fpdf2's built-in Helvetica with the Windows-1252 encoding. No font file to ship or
download, the same on phone and server. Windows-1252 holds æøå ÆØÅ, é, ü, «», –, ’ and €, all
the report's own words need. Anything outside it in data (a Sámi č, đ, ŋ, ŧ in a place name)
is transliterated (č → c) rather than failing; if that matters one day, ship a TTF in
``assets/fonts`` and register it in ``_setup``.

The chart (observations per month) is drawn with rectangles: a bar per month, a "<3" month
as an outlined box up to the 3 line, so its height tells no more than its label.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from fieldapp.domain.days import oslo_day

from . import texts
from .disclosure import SUPPRESSED, Figure
from .evaluation import EvaluationReport
from .sections import SECTIONS, started

FONT = "helvetica"
ENCODING = "windows-1252"
NAVY = (11, 42, 74)
LIGHT = (226, 233, 242)


def pdf_text(value: str) -> str:
    """The text as Windows-1252 can show it: unknown letters without their accents, else '?'."""
    try:
        value.encode(ENCODING)
        return value
    except UnicodeEncodeError:
        pass
    out = []
    for char in value:
        try:
            char.encode(ENCODING)
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in base if not unicodedata.combining(c))
            out.append(base if base and _encodable(base) else "?")
    return "".join(out)


def _encodable(value: str) -> bool:
    try:
        value.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


class _Document(FPDF):
    def __init__(self, lang: str, footer_note: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.core_fonts_encoding = ENCODING
        self.lang_code = lang
        self.footer_note = footer_note

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(90, 90, 90)
        page = texts.text("page", self.lang_code, n=self.page_no(), total="{nb}")
        self.cell(0, 5, pdf_text(f"{self.footer_note} · {page}"), align="C")


class Writer:
    """The drawing primitives the sections use (kept small so sections read as content)."""

    def __init__(self, pdf: _Document, lang: str):
        self.pdf = pdf
        self.lang = lang

    def heading(self, value: str) -> None:
        pdf = self.pdf
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(FONT, "B", 13)
        pdf.set_text_color(*NAVY)
        pdf.cell(0, 8, pdf_text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)

    def paragraph(self, value: str, *, size: float = 10, bold: bool = False) -> None:
        self.pdf.set_font(FONT, "B" if bold else "", size)
        self.pdf.multi_cell(0, size * 0.5, pdf_text(value), new_x=XPos.LMARGIN,
                            new_y=YPos.NEXT)
        self.pdf.ln(1)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]],
              widths: Sequence[float] | None = None) -> None:
        pdf = self.pdf
        if len(rows) <= 15 and pdf.will_page_break(6.5 * (len(rows) + 1)):
            pdf.add_page()  # keep a short table on one page
        pdf.set_font(FONT, size=9.5)
        pdf.set_fill_color(255, 255, 255)
        align = ("LEFT",) + ("RIGHT",) * (len(header) - 1)
        style = FontFace(emphasis="BOLD", fill_color=LIGHT)
        width = min(sum(widths), pdf.epw) if widths else pdf.epw
        with pdf.table(width=width, col_widths=widths, text_align=align, align="LEFT",
                       headings_style=style, line_height=5.5, padding=1) as table:
            for values in [header, *rows]:
                row = table.row()
                for value in values:
                    row.cell(pdf_text(str(value)))
        pdf.ln(2)

    def bar_chart(self, labels: Sequence[str], values: Sequence[Figure | None], *,
                  height: float = 42) -> None:
        pdf = self.pdf
        if pdf.will_page_break(height + 14):
            pdf.add_page()
        # "<3" and ranges stand at 3; a withheld value (None) has no bar, only its words
        numbers = [v if isinstance(v, int) else 0 if v is None else 3 for v in values]
        top = max([*numbers, 3])
        x0, y0 = pdf.l_margin + 8, pdf.get_y() + 4
        slot = (pdf.epw - 8) / max(len(values), 1)
        base = y0 + height
        pdf.set_draw_color(120, 120, 120)
        pdf.line(x0, base, x0 + slot * len(values), base)
        pdf.set_font(FONT, size=7.5)
        for i, (label, value) in enumerate(zip(labels, values, strict=True)):
            x = x0 + i * slot + slot * 0.15
            width = slot * 0.7
            bar = height * (numbers[i] / top)
            if value == SUPPRESSED:
                pdf.set_fill_color(*LIGHT)
                pdf.rect(x, base - bar, width, bar, style="DF")
            elif numbers[i]:
                pdf.set_fill_color(*NAVY)
                pdf.rect(x, base - bar, width, bar, style="F")
            pdf.set_xy(x - 2, base - bar - 4.5)
            pdf.cell(width + 4, 4, pdf_text(texts.figure(value, self.lang)), align="C")
            pdf.set_xy(x - 2, base + 1)
            pdf.cell(width + 4, 4, pdf_text(label), align="C")
        pdf.set_fill_color(255, 255, 255)
        pdf.set_xy(pdf.l_margin, base + 7)


def _title_block(w: Writer, report: EvaluationReport, made_at: datetime) -> None:
    a, lang = report.agreement, w.lang
    w.pdf.set_font(FONT, "B", 18)
    w.pdf.set_text_color(*NAVY)
    w.pdf.multi_cell(0, 9, pdf_text(texts.text("title", lang)), new_x=XPos.LMARGIN,
                     new_y=YPos.NEXT)
    w.pdf.set_text_color(0, 0, 0)
    parties = a.municipality_name
    if a.police_district:
        parties += f" {texts.text('and', lang)} {a.police_district}"
    w.paragraph(parties, size=12, bold=True)
    w.paragraph(f"{texts.text('period', lang)}: {texts.period_label(report.period, lang)}. "
                f"{texts.text('as_of', lang)} "
                f"{texts.short_date(oslo_day(report.as_of), lang)}. "
                f"{texts.text('made', lang)} {texts.short_date(oslo_day(made_at), lang)}.")
    note = started(report, lang)
    if note is not None:
        w.paragraph(note, bold=True)
    w.paragraph(texts.text("privacy", lang), size=9)
    w.paragraph(texts.text("method", lang), size=9)


def render_pdf(report: EvaluationReport, lang: str = "nb",
               made_at: datetime | None = None) -> bytes:
    """The report as PDF bytes, in bokmål (``lang="nb"``) or English."""
    lang = texts.lang_of(lang)
    made_at = made_at or report.as_of
    note = f"{texts.text('title', lang)} – {report.agreement.municipality_name}"
    pdf = _Document(lang, note)
    pdf.set_title(pdf_text(note))
    pdf.set_lang("nb-NO" if lang == "nb" else "en")
    pdf.set_creator("Politikontakt")
    pdf.set_creation_date(made_at)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    writer = Writer(pdf, lang)
    _title_block(writer, report, made_at)
    for section in SECTIONS:
        section(writer, report)
    return bytes(pdf.output())
