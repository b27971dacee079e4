"""The PDF renders: its text (pdftotext, Debian's poppler-utils) holds the headings and the
right figures, and page 1 is rendered to PNG in artifacts/report/ for a person to look at."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fieldapp.domain.agreement import default_agreement
from fieldapp.report import Period, build_evaluation, render_pdf, to_csv_bytes
from fieldapp.report.pdf import pdf_text
from tests.report.yeardata import generated_year

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "report"
HEADINGS = ("1. Skolebesøk", "2. Tilstedeværelse i kommunen", "3. Politiråd og SLT-møter",
            "4. Observasjoner i ungdomsmiljøet", "5. Oppfølging av U18-saker",
            "6. Kriseledelse", "7. Satsingsområder")


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: apt-get install -y poppler-utils"
    return path


@pytest.fixture(scope="module")
def report():
    return build_evaluation(default_agreement("gjesdal"), generated_year(2026),
                            Period.year(2026), datetime(2027, 1, 15, 9, tzinfo=UTC))


@pytest.fixture(scope="module")
def pdf_file(report):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "evaluering-gjesdal-2026.pdf"
    path.write_bytes(render_pdf(report))
    (ARTIFACTS / "evaluering-gjesdal-2026.csv").write_bytes(to_csv_bytes(report))
    return path


def _text(path: Path) -> str:
    out = subprocess.run([_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True, timeout=60)
    return out.stdout


def test_headings_and_figures_are_in_the_pdf(report, pdf_file):
    text = _text(pdf_file)
    assert "Evaluering av samarbeidsavtalen" in text
    assert "Gjesdal kommune og Sør-Vest politidistrikt" in text
    for heading in HEADINGS:
        assert heading in text, heading
    s = report.schools[0]
    assert re.search(rf"Gjesdal ungdomsskole\s+{s.windows_met}\s+{s.windows_missed}\s+0\s+"
                     rf"{s.visits}\b", text)
    p = report.presence
    assert re.search(rf"\n\s*{p.weeks_met}\s+{p.weeks_missed}\s+0\s+{p.days_present}\b", text)
    assert p.target == 1 and "minst 1 dag i uken" in text and "dag(er)" not in text
    assert re.search(r"Politiråd\s+1\. juli 2026 – 31\. desember 2026\s+minst 2 per halvår\s+1"
                     r"\s+ikke oppfylt", text)
    assert "Saksliste sendt minst 7 dager før: 5 i tide, 1 for sent, 1 ikke registrert." in text
    # May has "<3": the total is withheld, and so is the pool that would give it back
    assert re.search(r"Ålgård sentrum\s+30\b", text)
    assert re.search(r"Andre steder\s+vises ikke", text)
    assert re.search(r"Alkohol\s+5–6\b", text)            # a range the half-years allow
    assert "Halvåret er enheten for tall om personer" in text
    assert re.search(r"Uvær\s+<3\s+–", text)
    flood = next(r for r in report.callouts.rows if r.event_type == "flood")
    assert re.search(rf"Flom\s+{flood.count}\s+{flood.median_response_minutes}\b", text)
    c = report.cases
    assert re.search(rf"\n\s*{c.opened}\s+{c.closed}\s+<3\s*\n", text)
    assert re.search(r"Rus- og kriminalitetsforebygging.*?\(vektlagt\s.*?høyest\)", text, re.S)
    assert "Observasjoner i perioden: vises ikke" in text


def test_the_chart_labels_every_month_with_its_figure(report, pdf_file):
    text = _text(pdf_file)
    months = ("jan.", "feb.", "mars", "april", "mai", "juni", "juli", "aug.", "sep.", "okt.",
              "nov.", "des.")
    assert re.search(r"\s+".join(re.escape(m) for m in months), text)
    values = [str(r.value) for r in report.observations.by_month.rows]
    assert "<3" in values
    for value in set(values):
        assert value in text


def test_page_one_renders_to_png(pdf_file):
    prefix = ARTIFACTS / "evaluering-side"
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf_file),
                    str(prefix)], check=True, timeout=60)
    (png,) = ARTIFACTS.glob("evaluering-side-*1.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_english_report(report, tmp_path):
    path = tmp_path / "evaluation.pdf"
    path.write_bytes(render_pdf(report, lang="en"))
    text = _text(path)
    assert "Evaluation of the cooperation agreement" in text
    assert "1. School visits" in text and "7. Priority areas" in text


def test_text_outside_windows_1252_is_transliterated_not_fatal():
    assert pdf_text("Ålgård – «skate»") == "Ålgård – «skate»"
    assert pdf_text("Čáhcesuolu ≥ 3 🚓") == "Cáhcesuolu ? 3 ?"
