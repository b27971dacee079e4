"""Settings without flet: the list of municipalities served as the officer edits it (the
Gjesdal preset, adding or replacing one from typed fields, removing one)."""

from __future__ import annotations

from fieldapp.repositories import ServedMunicipality

GJESDAL = ServedMunicipality("1122", "Gjesdal", ("Gjesdal ungdomsskole",))


def has_gjesdal(served: list[ServedMunicipality]) -> bool:
    return any(m.code == GJESDAL.code for m in served)


def with_municipality(served: list[ServedMunicipality], name: str, number: str,
                      schools: str) -> list[ServedMunicipality]:
    """Add one from what was typed (its number, else its name, is its code; schools are
    comma-separated); one already served under that code is replaced."""
    code = number or name
    school_list = tuple(s.strip() for s in schools.split(",") if s.strip())
    return [m for m in served if m.code != code] + [ServedMunicipality(code, name, school_list)]


def without(served: list[ServedMunicipality], code: str) -> list[ServedMunicipality]:
    return [m for m in served if m.code != code]
