"""The CSV export: one figure per line, bokmål labels, the same suppressed figures as the PDF."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from fieldapp.domain.agreement import default_agreement
from fieldapp.report import Period, build_evaluation, to_csv, to_csv_bytes
from tests.report.yeardata import generated_year


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_lines_and_suppression():
    report = build_evaluation(default_agreement("gjesdal"), generated_year(2026),
                              Period.year(2026), datetime(2027, 1, 15, tzinfo=UTC))
    rows = _rows(to_csv(report))
    assert rows[0] == ["Seksjon", "Rad", "Måltall", "Verdi"]
    assert all(len(r) == 4 for r in rows)
    by_key = {(r[0], r[1], r[2]): r[3] for r in rows[1:]}
    school = report.schools[0]
    assert by_key[("1. Skolebesøk", "Gjesdal ungdomsskole", "Vinduer oppfylt")] == \
        str(school.windows_met)
    # May's "<3" withholds the total, and with it the pool of other places
    assert by_key[("4. Observasjoner i ungdomsmiljøet", "Andre steder", "Antall")] == \
        "vises ikke"
    assert by_key[("4. Observasjoner i ungdomsmiljøet", "Alkohol", "Antall")] == "5–6"
    assert by_key[("6. Kriseledelse", "Uvær", "Antall")] == "<3"
    assert by_key[("6. Kriseledelse", "Sum", "Antall")] == "vises ikke"
    assert by_key[("5. Oppfølging av U18-saker", "",
                   "Åpne med forfalt tiltak ved periodens slutt")] == "<3"
    assert by_key[("3. Politiråd og SLT-møter", "Politiråd", "Saksliste for sent")] == "1"
    data = to_csv_bytes(report)
    assert data.startswith(b"\xef\xbb\xbf") and "Tilstedeværelse".encode() in data
    english = _rows(to_csv(report, lang="en"))
    assert english[0] == ["Section", "Row", "Measure", "Value"]
