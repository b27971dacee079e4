"""Time before the logbook was taken into use is never a miss: a logbook started 1 December
counts December's windows, weeks and half-year, not the eleven months before it, and the
report says where counting starts, in dates a reader understands."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest

from fieldapp.domain.agreement import default_agreement
from fieldapp.domain.records import Observation, SchoolVisit
from fieldapp.domain.tracking import counting_start
from fieldapp.report import Period, build_evaluation, render_pdf, texts
from fieldapp.report.sections import counted_windows, started
from tests.report.yeardata import GJESDAL, SCHOOL, oslo

AGREEMENT = default_agreement("gjesdal")   # one visit every 14 days, 1 presence day a week
DEC_1 = date(2026, 12, 1)
AS_OF = oslo(date(2026, 12, 30), 12)


def first_use_in_december() -> list:
    """The first record entered 1 December (a check-in that day), nothing before."""
    visit = SchoolVisit(school=SCHOOL, municipality=GJESDAL, checked_in_at=oslo(DEC_1, 10))
    visit.created_at = oslo(DEC_1, 10)
    return [visit]


def windows_between(first: date, last: date) -> list[tuple[date, date]]:
    """The 14-day windows from the anchor, worked out again, that start on or after ``first``
    and have ended before ``last``."""
    start, result = AGREEMENT.cadence_anchor, []
    while start < last:
        end = start + timedelta(days=13)
        if start >= first and end < last:
            result.append((start, end))
        start += timedelta(days=14)
    return result


def test_the_logbook_starts_on_its_first_record_or_earlier_activity():
    records = first_use_in_december()
    assert counting_start(records, AS_OF) == DEC_1
    # a visit logged afterwards (entered 1 December, checked in 20 November) counts from its day
    late = SchoolVisit(school=SCHOOL, municipality=GJESDAL,
                       checked_in_at=oslo(date(2026, 11, 20), 9))
    late.created_at = oslo(DEC_1, 11)
    assert counting_start([*records, late], AS_OF) == date(2026, 11, 20)
    # an empty logbook starts today
    assert counting_start([], AS_OF) == date(2026, 12, 30)


def test_a_logbook_started_in_december_is_not_penalised_for_january_to_november():
    report = build_evaluation(AGREEMENT, first_use_in_december(), Period.year(2026), AS_OF)
    (school,) = report.schools
    # counted from the period start, the year would have had 24 missed windows
    whole_year = windows_between(date(2025, 12, 29), date(2026, 12, 30))
    assert len(whole_year) - 1 >= 24
    december = windows_between(DEC_1, date(2026, 12, 30))
    visited = [w for w in december if w[0] <= DEC_1 <= w[1]]
    assert school.windows_missed == len(december) - len(visited) <= 1
    assert school.windows_met == 1   # the window holding 1 December, begun before: met counts
    p = report.presence
    assert p.weeks_met == 1          # week 49 (30 Nov–6 Dec) began before the start, but is met
    assert p.weeks_missed == 3       # weeks 50-52, ended unmet; not the 48 weeks before
    assert report.started == DEC_1 and report.late_start == DEC_1
    verdicts = {(m.meeting_type, b.period.start.month): b.verdict
                for m in report.meetings for b in m.buckets}
    assert verdicts[("politirad", 1)] == "before_start"   # not "missed"
    assert verdicts[("politirad", 7)] == "ongoing"        # runs to 31 December


def test_a_logbook_in_use_all_year_still_counts_every_miss():
    visit = SchoolVisit(school=SCHOOL, municipality=GJESDAL,
                        checked_in_at=oslo(date(2026, 1, 2), 10))
    visit.created_at = oslo(date(2025, 9, 1), 10)
    report = build_evaluation(AGREEMENT, [visit], Period.year(2026), AS_OF)
    assert report.late_start is None
    assert report.schools[0].windows_missed >= 24
    assert report.presence.weeks_missed >= 48
    assert started(report, "nb") is None


def test_the_report_says_where_counting_starts_and_which_periods_were_counted():
    report = build_evaluation(AGREEMENT, first_use_in_december(), Period.year(2026), AS_OF)
    note = started(report, "nb")
    assert note is not None
    assert note.startswith("Tellingen starter 01.12.2026, da loggboken ble tatt i bruk.")
    assert started(report, "en").startswith("Counting starts 2026-12-01, when the logbook")
    # the windows as the period counted, never the agreement's signing date
    assert counted_windows(report, "nb") == ("Telt i faste perioder på 14 dager, mandag til "
                                             "søndag, fra 30.11.2026 til 27.12.2026.")
    assert "2011" not in counted_windows(report, "nb")


def test_no_plural_in_brackets_in_any_report_text():
    for lang in texts.LANGUAGES:
        for key, value in texts.TEXTS[lang].items():
            for line in [value] if isinstance(value, str) else value:
                assert not re.search(r"\w\((er|e|s|r)\)", line), (lang, key, line)


def test_observations_alone_start_the_count_too():
    seen = Observation(place="Ålgård sentrum", youth_count=4, municipality=GJESDAL,
                       categories={"alcohol"}, observed_at=oslo(date(2026, 12, 8), 21))
    seen.created_at = oslo(date(2026, 12, 8), 21)
    report = build_evaluation(AGREEMENT, [seen], Period.half(2026, 2), AS_OF)
    assert report.late_start == date(2026, 12, 8)
    assert report.presence.weeks_missed == 2     # weeks 51 and 52, not 27 weeks since July


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_the_pdf_says_where_counting_starts(tmp_path):
    report = build_evaluation(AGREEMENT, first_use_in_december(), Period.year(2026), AS_OF)
    path = tmp_path / "rapport.pdf"
    path.write_bytes(render_pdf(report))
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    flat = " ".join(out.split())
    assert "Tellingen starter 01.12.2026, da loggboken ble tatt i bruk." in flat
    assert "fra 30.11.2026 til 27.12.2026" in flat
    assert "ikke vurdert (før loggboken ble tatt i bruk)" in flat
    assert "(er)" not in flat and "28.02.2011" not in flat
