"""The yearly (and half-yearly) evaluation of the cooperation agreement: figures, PDF, CSV.

    from fieldapp.report import Period, build_evaluation, render_pdf, to_csv
    report = build_evaluation(agreement, records, Period.year(2026), as_of=now)
    Path("evaluering.pdf").write_bytes(render_pdf(report))

Only non-personal aggregates leave this package (see ``disclosure`` for the rules).
"""

from .csv_export import to_csv, to_csv_bytes
from .disclosure import SUPPRESSED, suppress
from .evaluation import EvaluationReport, build_evaluation
from .pdf import render_pdf
from .period import Period

__all__ = ["SUPPRESSED", "EvaluationReport", "Period", "build_evaluation", "render_pdf",
           "suppress", "to_csv", "to_csv_bytes"]
