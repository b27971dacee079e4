"""Disclosure across periods: no small count of one report can be worked out from the others.

For generated years of small counts (per month, category, place, event type, priority area),
build the reports for H1, H2 and the year, give every published figure to ``attacker`` and
check that each figure not shown exactly (a "<3", a range, a withheld one) can still take at
least two values. Plus the case the review found: year minus H1 gave H2's "<3" callouts.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import pytest

from fieldapp.domain.agreement import default_agreement
from fieldapp.domain.records import CrisisCallout, FollowUpCase, Observation
from fieldapp.report import Period, build_evaluation
from fieldapp.report.disclosure import OTHER_PLACES
from tests.report.attacker import Attacker, minus, plus, var
from tests.report.yeardata import GJESDAL, oslo

AGREEMENT = default_agreement("gjesdal")
AFTER_YEAR = datetime(2027, 1, 15, 9, tzinfo=UTC)
PLACES = ("Torget", "Skateparken", "Stasjonen", "Kvernaland")
CATEGORIES = ("alcohol", "drugs")
EVENTS = ("flood", "storm", "forest_fire")
AREAS = ("rus_krim_u18", "ungdomsmiljo", "")
HALVES = ("H1", "H2")


def _day(rng: random.Random, month: int) -> date:
    return date(2026, month, rng.randint(1, 28))


def small_year(seed: int) -> list:
    """A year with 0-5 observations a month, a few callouts and cases, linked at random."""
    rng = random.Random(seed)
    records: list = []
    for month in range(1, 13):
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 4, 5))):
            records.append(Observation(
                municipality=GJESDAL, place=rng.choices(PLACES, (6, 3, 1, 1))[0],
                categories={c for c in CATEGORIES if rng.random() < 0.45},
                observed_at=oslo(_day(rng, month), rng.choice((15, 23)), 30),
                priority_area=rng.choice(AREAS)))
        if rng.random() < 0.4:
            records.append(CrisisCallout(municipality=GJESDAL, event_type=rng.choice(EVENTS),
                                         called_at=oslo(_day(rng, month), 10),
                                         priority_area=rng.choice(AREAS)))
        if rng.random() < 0.3:
            opened = oslo(_day(rng, month), 12)
            closed = oslo(_day(rng, 12), 12) if rng.random() < 0.5 and month < 12 else None
            records.append(FollowUpCase(municipality=GJESDAL, person_name="Ungdom",
                                        concern="Bekymring", opened_at=opened, closed_at=closed,
                                        status="closed" if closed else "open",
                                        priority_area=rng.choice(AREAS)))
    return records


def reports(records: list) -> dict:
    periods = {"H1": Period.half(2026, 1), "H2": Period.half(2026, 2), "Y": Period.year(2026)}
    return {k: build_evaluation(AGREEMENT, records, p, AFTER_YEAR) for k, p in periods.items()}


def _observations(a: Attacker, r: dict, checks: list) -> dict[str, dict]:
    """Months, totals and places; returns each period's observation total as an expression."""
    months = {}
    for h in HALVES:
        for row in r[h].observations.by_month.rows:
            months[row.key] = var(a.unknown(f"m{row.key}", row.value))
            checks.append((f"{h} month {row.key}", months[row.key], row.value))
    assert [row.value for row in r["Y"].observations.by_month.rows] == \
        [row.value for h in HALVES for row in r[h].observations.by_month.rows]
    totals = {h: plus(*(months[row.key] for row in r[h].observations.by_month.rows))
              for h in HALVES}
    totals["Y"] = plus(totals["H1"], totals["H2"])
    for p, total in totals.items():
        o = r[p].observations
        a.published(total, o.total)
        checks.append((f"{p} observations total", total, o.total))
        named = sum(row.value for row in o.by_place.rows if row.key != OTHER_PLACES)
        pool = [row.value for row in o.by_place.rows if row.key == OTHER_PLACES]
        rest = plus(total, {"one": -named}) if named else total
        if not pool:
            a.between(rest, 0, 0)
        else:
            a.between(rest, 1, 10**6)
            a.published(rest, pool[0])
            checks.append((f"{p} other places", rest, pool[0]))
    return totals


def _additive(a: Attacker, r: dict, checks: list, label: str, get, bound: dict | None):
    """A count that adds up over the halves (and is at most ``bound`` in each period)."""
    parts = {h: var(a.unknown(f"{label} {h}", get(r[h]))) for h in HALVES}
    parts["Y"] = plus(parts["H1"], parts["H2"])
    for p, expr in parts.items():
        value = get(r[p])
        a.published(expr, value)
        checks.append((f"{p} {label}", expr, value))
        if bound is not None:
            a.between(plus(expr, minus(bound[p])), -10**6, 0)
    return parts


def _callouts(a: Attacker, r: dict, checks: list) -> dict[str, dict]:
    rows = {t: _additive(a, r, checks, f"callouts {t}",
                         lambda x, t=t: next(c.count for c in x.callouts.rows
                                             if c.event_type == t), None)
            for t in EVENTS}
    totals = {p: plus(*(rows[t][p] for t in EVENTS)) for p in ("H1", "H2", "Y")}
    for p, total in totals.items():
        a.published(total, r[p].callouts.total)
        checks.append((f"{p} callouts total", total, r[p].callouts.total))
    return totals


def attack(r: dict) -> list[tuple[str, int, object]]:
    """(figure, true value, published) for every figure not shown exactly that the attacker
    can pin to one value."""
    a, checks = Attacker(), []
    a.domains["one"] = (1, 1)
    observations = _observations(a, r, checks)
    callouts = _callouts(a, r, checks)
    opened = _additive(a, r, checks, "cases opened", lambda x: x.cases.opened, None)
    _additive(a, r, checks, "cases closed", lambda x: x.cases.closed, None)
    for c in ("alcohol", "drugs", "violence"):
        _additive(a, r, checks, f"category {c}", lambda x, c=c: next(
            row.value for row in x.observations.by_category.rows if row.key == c), observations)
    for i, code in enumerate(AREAS[:2]):
        for key, bound in (("observations", observations), ("callouts", callouts),
                           ("cases", opened)):
            _additive(a, r, checks, f"{code} {key}",
                      lambda x, i=i, key=key: getattr(x.priority_areas[i], key), bound)
    found = []
    for name, expr, value in checks:
        if not isinstance(value, int):
            left = a.values(expr)
            if len(left) < 2:
                found.append((name, left, value))
    return found


SEEDS = range(80)


@pytest.mark.parametrize("chunk", range(4))
def test_no_hidden_figure_can_be_worked_out_from_all_reports_of_the_year(chunk):
    hidden = recovered = 0
    for seed in SEEDS[chunk::4]:
        r = reports(small_year(seed))
        found = attack(r)
        assert found == [], (seed, found)
        flat = [row.value for p in r.values() for row in p.observations.by_month.rows]
        hidden += flat.count("<3")
        recovered += len(found)
    assert hidden > 0   # the generated years do have small months to protect


def test_the_year_minus_a_half_year_gives_nothing_the_half_year_hides():
    """The review's case: 3 floods in H1, 1 in H2. The year showed 4, so 4 - 3 = 1."""
    calls = [CrisisCallout(municipality=GJESDAL, event_type="flood",
                           called_at=oslo(date(2026, m, 9), 10)) for m in (2, 3, 5, 9)]
    r = reports(calls)
    flood = {p: next(c.count for c in r[p].callouts.rows if c.event_type == "flood")
             for p in r}
    assert (flood["H1"], flood["H2"]) == (3, "<3")
    assert not isinstance(flood["Y"], int), flood      # so year - H1 is no exact number
    assert flood["Y"] == "4–5"                          # what H1 (3) and H2 (<3) already say
    assert attack(r) == []
    for seed in range(40):                              # and so for every figure pair
        r = reports(small_year(seed))
        for name, y, h1, h2 in _triples(r):
            for mine, other in ((h1, h2), (h2, h1)):
                if isinstance(y, int) and isinstance(mine, int):
                    assert isinstance(other, int), (seed, name, y, h1, h2)


def _triples(r: dict):
    def rows(x):
        o = x.observations
        yield "total", o.total
        yield from ((f"category {row.key}", row.value) for row in o.by_category.rows)
        yield from ((f"callouts {c.event_type}", c.count) for c in x.callouts.rows)
        yield "callouts total", x.callouts.total
        yield "opened", x.cases.opened
        yield "closed", x.cases.closed
        for area in x.priority_areas:
            for key in ("observations", "callouts", "cases"):
                yield f"{area.code} {key}", getattr(area, key)
    for (name, y), (_, h1), (_, h2) in zip(rows(r["Y"]), rows(r["H1"]), rows(r["H2"]),
                                           strict=True):
        yield name, y, h1, h2


def test_a_total_never_gives_away_its_only_hidden_cell():
    """Within one report: months all exact but one place "<3" gave that place by subtraction;
    now the pool takes the smallest named place until it holds 3."""
    obs = [Observation(municipality=GJESDAL, place=place, observed_at=oslo(date(2026, 3, d), 15))
           for d, place in enumerate(["Torget"] * 5 + ["Skateparken"] * 3 + ["Stasjonen"], 1)]
    half = reports(obs)["H1"].observations
    assert half.total == 9
    assert [(row.key, row.value) for row in half.by_place.rows] == [
        ("Torget", 5), (OTHER_PLACES, 4)]
    assert attack(reports(obs)) == []


def test_places_in_the_year_are_named_only_where_each_half_names_them():
    visits = [(1, "Torget", 4), (2, "Stasjonen", 3), (3, "Bryne", 3), (8, "Torget", 4),
              (10, "Stasjonen", 2), (10, "Kvernaland", 3), (11, "Skateparken", 5)]
    obs = [Observation(municipality=GJESDAL, place=place, observed_at=oslo(date(2026, m, 3), 15))
           for m, place, n in visits for _ in range(n)]
    r = reports(obs)
    places = {p: [(row.key, row.value) for row in r[p].observations.by_place.rows] for p in r}
    # H2: Stasjonen's 2 are pooled, and the smallest named place (Kvernaland) joins them.
    assert places["H2"] == [("Skateparken", 5), ("Torget", 4), (OTHER_PLACES, 5)]
    assert places["H1"] == [("Torget", 4), ("Bryne", 3), ("Stasjonen", 3)]
    # The year names Torget (named in both halves), Skateparken and Bryne (none in the other
    # half); naming Stasjonen's 5 would give away its 2 in H2, naming Kvernaland its 3 there.
    assert places["Y"] == [("Torget", 8), ("Skateparken", 5), ("Bryne", 3), (OTHER_PLACES, 8)]
    assert r["Y"].observations.by_place.total == r["Y"].observations.total == 24
    assert attack(r) == []


def test_a_category_never_pins_a_withheld_total():
    """January "<3" withholds the total (6, at most 4 + 2); alcohol on all 6 would say the total
    is at least 6, so exactly 6, so January 2. Alcohol is withheld, drugs (on 3) is not."""
    obs = [Observation(municipality=GJESDAL, place="Torget", observed_at=oslo(date(2026, m, d), 15),
                       categories={"alcohol", "drugs"} if d < 4 else {"alcohol"},
                       priority_area="ungdomsmiljo")
           for m, days in ((1, (10, 11)), (2, (1, 2, 3, 4))) for d in days]
    r = reports(obs)
    h1 = r["H1"]
    cats = {row.key: row.value for row in h1.observations.by_category.rows}
    assert h1.observations.total is None
    assert (cats["alcohol"], cats["drugs"], h1.priority_areas[1].observations) == (None, 3, None)
    assert attack(r) == []
