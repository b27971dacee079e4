"""PDF/A documents for the municipality's archive (fpdf2 with ``enforce_compliance``).

    pdf = ArchivePdf(title="Møtereferat ...", footer_note="Politiråd 02.03.2026", made_at=now)
    w = PdfWriter(pdf)                    # heading, paragraph, table, bar_chart (+ field)
    data = pdf.finish()                   # the PDF/A-2b bytes

Why PDF/A-2b: the level fpdf2 produces and enforces (embedded fonts, XMP with ``pdfaid``,
an sRGB OutputIntent, no encryption); "b" (basic) promises the look of the pages, which is
what an archive copy of minutes needs. PDF/A-2u would also promise Unicode text for every
glyph — DejaVu with fpdf2 maps every glyph to Unicode too, but verapdf has not checked "u"
here, so the metadata claims only what fpdf2 enforces.

Fonts: DejaVu Sans and Sans Bold from ``assets/fonts`` (Bitstream Vera licence, see
``assets/fonts/LICENSE-DejaVu.txt``), embedded as subsets. fpdf2 refuses the built-in
Helvetica under PDF/A, which is why the evaluation report is drawn here with the report's own
sections (``fieldapp.report.sections`` take any ``SectionWriter``) rather than with
``fieldapp.report.pdf``, whose writer is bound to Helvetica.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import DocumentCompliance, XPos, YPos
from fpdf.fonts import FontFace

from fieldapp.report import SUPPRESSED
from fieldapp.report.disclosure import Figure
from fieldapp.report.texts import figure as figure_text

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FAMILY = "dejavu"
COMPLIANCE = DocumentCompliance.PDFA_2B
PDF_FORMAT = "PDF/A-2b"          # as written in the metadata (formatDetaljer)
PRONOM_FORMAT = "fmt/476"        # PRONOM's identifier of PDF/A-2b (Noark 5 format)
NAVY = (11, 42, 74)
LIGHT = (226, 233, 242)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FontsMissing(FileNotFoundError):
    """The archive fonts are not where the backend expects them."""


def clean(value: object) -> str:
    """Text as a PDF line may hold it: control characters out."""
    return _CONTROL.sub(" ", str(value))


class ArchivePdf(FPDF):
    """An A4 PDF/A-2b document with DejaVu embedded and a footer "Side n av m"."""

    def __init__(self, *, title: str, footer_note: str, made_at: datetime,
                 subject: str = "", lang: str = "nb-NO"):
        super().__init__(orientation="P", unit="mm", format="A4",
                         enforce_compliance=COMPLIANCE)
        for style, name in FONT_FILES.items():
            path = FONT_DIR / name
            if not path.is_file():
                raise FontsMissing(f"archive font missing: {path}")
            self.add_font(FAMILY, style, str(path))
        self.footer_note = clean(footer_note)
        self.set_title(clean(title))
        if subject:
            self.set_subject(clean(subject))
        self.set_lang(lang)
        self.set_creator("Politikontakt")
        self.set_creation_date(made_at)
        self.set_auto_page_break(auto=True, margin=16)
        self.add_page()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self.footer_note} · Side {self.page_no()} av {{nb}}", align="C")

    def finish(self) -> bytes:
        return bytes(self.output())


class PdfWriter:
    """What the report's sections and the meeting documents draw with (a ``SectionWriter``)."""

    def __init__(self, pdf: ArchivePdf, lang: str = "nb"):
        self.pdf = pdf
        self.lang = lang

    def title(self, value: str, subtitle: str = "") -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, "B", 17)
        pdf.set_text_color(*NAVY)
        pdf.multi_cell(0, 8.5, clean(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
        if subtitle:
            self.paragraph(subtitle, size=12, bold=True)

    def banner(self, value: str) -> None:
        """A boxed notice (a screened document's legal basis)."""
        pdf = self.pdf
        pdf.set_font(FAMILY, "B", 10)
        pdf.set_fill_color(*LIGHT)
        pdf.multi_cell(0, 6, clean(value), border=1, fill=True, padding=2,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_fill_color(255, 255, 255)
        pdf.ln(2)

    def heading(self, value: str) -> None:
        pdf = self.pdf
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(FAMILY, "B", 13)
        pdf.set_text_color(*NAVY)
        pdf.cell(0, 8, clean(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)

    def paragraph(self, value: str, *, size: float = 10, bold: bool = False) -> None:
        self.pdf.set_font(FAMILY, "B" if bold else "", size)
        self.pdf.multi_cell(0, size * 0.5, clean(value), new_x=XPos.LMARGIN,
                            new_y=YPos.NEXT)
        self.pdf.ln(1)

    def field(self, label: str, value: str) -> None:
        """«Label: value» on one line, the label bold."""
        pdf = self.pdf
        pdf.set_font(FAMILY, "B", 10)
        pdf.cell(42, 5.5, clean(label))
        pdf.set_font(FAMILY, "", 10)
        pdf.multi_cell(0, 5.5, clean(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]],
              widths: Sequence[float] | None = None, *, figures: bool = True) -> None:
        """A table; with ``figures`` every column after the first is right-aligned."""
        pdf = self.pdf
        if len(rows) <= 15 and pdf.will_page_break(6.5 * (len(rows) + 1)):
            pdf.add_page()
        pdf.set_font(FAMILY, size=9.5)
        align = tuple("RIGHT" if i and figures else "LEFT" for i in range(len(header)))
        width = min(sum(widths), pdf.epw) if widths else pdf.epw
        with pdf.table(width=width, col_widths=widths, text_align=align, align="LEFT",
                       headings_style=FontFace(emphasis="BOLD", fill_color=LIGHT),
                       line_height=5.5, padding=1) as table:
            for values in [header, *rows]:
                row = table.row()
                for value in values:
                    row.cell(clean(value))
        pdf.ln(2)

    def bar_chart(self, labels: Sequence[str], values: Sequence[Figure | None], *,
                  height: float = 42) -> None:
        """Bars per label; a suppressed "<3" is an outlined box up to 3, a withheld value
        (None) has only its words, so a bar's height tells no more than its label."""
        pdf = self.pdf
        if pdf.will_page_break(height + 14):
            pdf.add_page()
        heights = [v if isinstance(v, int) else 0 if v is None else 3 for v in values]
        top = max([*heights, 3])
        left, base = pdf.l_margin + 8, pdf.get_y() + 4 + height
        slot = (pdf.epw - 8) / max(len(values), 1)
        pdf.set_draw_color(120, 120, 120)
        pdf.line(left, base, left + slot * len(values), base)
        pdf.set_font(FAMILY, size=7.5)
        for i, (label, value) in enumerate(zip(labels, values, strict=True)):
            x, bar = left + (i + 0.15) * slot, height * heights[i] / top
            if value == SUPPRESSED:
                pdf.set_fill_color(*LIGHT)
                pdf.rect(x, base - bar, slot * 0.7, bar, style="DF")
            elif heights[i]:
                pdf.set_fill_color(*NAVY)
                pdf.rect(x, base - bar, slot * 0.7, bar, style="F")
            for y, text in ((base - bar - 4.5, figure_text(value, self.lang)), (base + 1, label)):
                pdf.set_xy(x - 2, y)
                pdf.cell(slot * 0.7 + 4, 4, clean(text), align="C")
        pdf.set_fill_color(255, 255, 255)
        pdf.set_xy(pdf.l_margin, base + 7)

