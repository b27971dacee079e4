"""Agreement tracking and evaluation benchmark: what Home and Evaluering cost on a big year.

For N activity records spread over one year in Gjesdal (school visits, observations, U18
cases, callouts, meetings; a third linked to a priority area) it times, as medians of 5 runs:
- ``baseline``: one plain pass that buckets the records by kind and Oslo month, the least any
  report over them has to do;
- ``compliance``: what Home computes on every render (this window, this week, next meeting,
  overdue actions), goal: at most 10× the baseline;
- ``evaluation``: the whole report for the year, and its CSV and PDF renderings.
Ratios against the baseline are the machine-independent figures; milliseconds are printed too.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from fieldapp.domain import CrisisCallout, FollowUpCase, Observation, SchoolVisit
from fieldapp.domain.agreement import default_agreement
from fieldapp.domain.days import oslo_day
from fieldapp.domain.meetings import AgendaItem, Meeting
from fieldapp.domain.records import FollowUpAction
from fieldapp.domain.tracking import compliance
from fieldapp.report import Period, build_evaluation, render_pdf, to_csv

YEAR = 2026
RUNS = 5
AREAS = ("rus_krim_u18", "ungdomsmiljo", "")
CATEGORIES = ("alcohol", "drugs", "violence", "unrest", "vulnerable_youth", "other")


def _year(n: int, seed: int = 7) -> list:
    rnd = random.Random(seed)
    start = datetime(YEAR, 1, 1, 8, 0, tzinfo=UTC)

    def moment() -> datetime:
        return start + timedelta(minutes=rnd.randrange(365 * 24 * 60))

    records: list = []
    for i in range(n):
        area = AREAS[i % 3]
        roll = i % 20
        if roll < 2:
            records.append(SchoolVisit(municipality="1122", school="Gjesdal ungdomsskole",
                                       checked_in_at=moment(), priority_area=area))
        elif roll < 16:
            records.append(Observation(municipality="1122", place=f"Sted {rnd.randrange(40)}",
                                       observed_at=moment(), youth_count=rnd.randrange(1, 30),
                                       categories={rnd.choice(CATEGORIES)}, priority_area=area))
        elif roll < 18:
            opened = moment()
            records.append(FollowUpCase(
                municipality="1122", person_name="x", concern="x", opened_at=opened,
                priority_area=area, actions=[FollowUpAction(
                    description="x", due_date=(opened + timedelta(days=14)).date())]))
        elif roll < 19:
            called = moment()
            records.append(CrisisCallout(municipality="1122", event_type="flood",
                                         called_at=called,
                                         arrived_at=called + timedelta(minutes=40)))
        else:
            starts = moment()
            records.append(Meeting(municipality="1122", meeting_type="politirad",
                                   starts_at=starts, agenda_sent_at=starts - timedelta(days=8),
                                   agenda=[AgendaItem(public_title="Sak",
                                                      priority_area="rus_krim_u18")]))
    return records


def _when(record) -> datetime:
    for name in ("checked_in_at", "observed_at", "opened_at", "called_at", "starts_at"):
        value = getattr(record, name, None)
        if value is not None:
            return value
    return record.created_at


def _baseline(records: list) -> Counter:
    return Counter((r.kind, oslo_day(_when(r)).month) for r in records)


def _median_ms(work, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run() -> list[dict]:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000").split(",") if s]
    agreement = default_agreement("gjesdal")
    period = Period.year(YEAR)
    now = datetime(YEAR, 11, 24, 12, 0, tzinfo=UTC)
    rows = []
    for n in sizes:
        records = _year(n)
        report = build_evaluation(agreement, records, period, now)
        base = _median_ms(lambda r=records: _baseline(r))
        timings = {
            "compliance": _median_ms(lambda r=records: compliance(agreement, r, now)),
            "evaluation": _median_ms(
                lambda r=records: build_evaluation(agreement, r, period, now)),
            "csv": _median_ms(lambda rep=report: to_csv(rep, "nb")),
            "pdf": _median_ms(lambda rep=report: render_pdf(rep, "nb"), runs=3),
        }
        rows.append({"records": n, "baseline_ms": base,
                     **{f"{k}_ms": v for k, v in timings.items()}})
        rows.append({"records": n, "compliance_x_baseline": timings["compliance"] / base,
                     "evaluation_x_baseline": timings["evaluation"] / base,
                     "compliance_goal_x": 10.0})
    return rows
