"""What someone holding every published report of a year can work out (for the disclosure tests).

The attacker knows every figure of the two half-year reports and the year report, and how they
add up: months to half-years to the year, rows of a table to its total, a half-year plus the
other to the year, and that a category's or a priority area's count is at most its total. A
published figure reads as: a count → exactly that; "<3" → 1 or 2; "lo–hi" → lo to hi;
"vises ikke" (None) → unknown; a pool row that is there → at least 1.

Every count is an unknown of a small integer problem; ``Attacker.values`` finds which values an
expression can take over all solutions (a depth-first search with bound pruning). A figure is
recovered when only one value is left. The figures are read here from the report's plain
fields, not through the module under test, so that the check does not share its mistakes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CAP = 200          # the largest count an unknown figure is tried with
Expr = dict[str, int]  # variable -> coefficient


def figure_bounds(value) -> tuple[int, int]:
    if value is None:
        return 0, CAP
    if isinstance(value, int):
        return value, value
    if value == "<3":
        return 1, 2
    low, high = value.split("–")
    return int(low), int(high)


@dataclass
class Attacker:
    domains: dict[str, tuple[int, int]] = field(default_factory=dict)
    constraints: list[tuple[Expr, int, int]] = field(default_factory=list)

    def unknown(self, name: str, value) -> str:
        self.domains[name] = figure_bounds(value)
        return name

    def between(self, expr: Expr, low: int, high: int) -> None:
        self.constraints.append((dict(expr), low, high))

    def published(self, expr: Expr, value) -> None:
        if value is not None:
            self.between(expr, *figure_bounds(value))

    def _span(self, expr: Expr, domains: dict[str, tuple[int, int]]) -> tuple[int, int]:
        low = high = 0
        for name, coef in expr.items():
            a, b = domains[name]
            low += min(coef * a, coef * b)
            high += max(coef * a, coef * b)
        return low, high

    def _consistent(self, domains: dict[str, tuple[int, int]],
                    extra: list[tuple[Expr, int, int]]) -> bool:
        for expr, low, high in (*self.constraints, *extra):
            a, b = self._span(expr, domains)
            if b < low or a > high:
                return False
        return True

    def _solvable(self, domains: dict[str, tuple[int, int]],
                  extra: list[tuple[Expr, int, int]]) -> bool:
        if not self._consistent(domains, extra):
            return False
        open_ = [n for n, (a, b) in domains.items() if a < b]
        if not open_:
            return True
        name = min(open_, key=lambda n: domains[n][1] - domains[n][0])
        a, b = domains[name]
        return any(self._solvable({**domains, name: (v, v)}, extra) for v in range(a, b + 1))

    def values(self, expr: Expr, enough: int = 2) -> list[int]:
        """Values ``expr`` takes in some solution (stops after ``enough``)."""
        low, high = self._span(expr, self.domains)
        found = []
        for v in range(low, high + 1):
            if self._solvable(dict(self.domains), [(expr, v, v)]):
                found.append(v)
                if len(found) >= enough:
                    break
        return found


def plus(*exprs: Expr) -> Expr:
    out: Expr = {}
    for e in exprs:
        for k, c in e.items():
            out[k] = out.get(k, 0) + c
    return out


def var(name: str) -> Expr:
    return {name: 1}


def minus(expr: Expr) -> Expr:
    return {k: -c for k, c in expr.items()}
