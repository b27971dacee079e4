"""Settings without flet: the list of municipalities served as the officer edits it (a preset
with its signed agreement, adding or replacing one from typed fields, its schools, removing
one).

Both agreements in ``fieldapp.domain.agreement`` are presets, offered the same way: one tap
serves the municipality under its number with the schools its agreement names (Gjesdal:
Gjesdal ungdomsskole; Stjørdal's agreement names none, so its schools are typed after).
"""

from __future__ import annotations

from fieldapp.domain.agreement import default_agreement
from fieldapp.repositories import ServedMunicipality

PRESET_CODES = ("1122", "5035")  # Gjesdal, Stjørdal
PRESET_IDENTS = {"1122": "gjesdal", "5035": "stjordal"}


def preset(code: str) -> ServedMunicipality:
    """The municipality of a signed agreement: its number, its name, the agreed schools."""
    agreement = default_agreement(code)
    name = agreement.municipality_name.removesuffix(" kommune")
    return ServedMunicipality(code, name, tuple(s.name for s in agreement.schools))


PRESETS = tuple(preset(code) for code in PRESET_CODES)
GJESDAL = PRESETS[0]


def presets_to_offer(served: list[ServedMunicipality]) -> list[ServedMunicipality]:
    """The presets not served yet, in a fixed order."""
    codes = {m.code for m in served}
    return [p for p in PRESETS if p.code not in codes]


def has_gjesdal(served: list[ServedMunicipality]) -> bool:
    return any(m.code == GJESDAL.code for m in served)


def school_list(typed: str) -> tuple[str, ...]:
    """Comma-separated school names, trimmed, empty ones and repeats left out."""
    found: list[str] = []
    for name in (s.strip() for s in typed.split(",")):
        if name and name.casefold() not in {f.casefold() for f in found}:
            found.append(name)
    return tuple(found)


def with_municipality(served: list[ServedMunicipality], name: str, number: str,
                      schools: str) -> list[ServedMunicipality]:
    """Add one from what was typed (its number, else its name, is its code; schools are
    comma-separated); one already served under that code is replaced."""
    code = number or name
    return [m for m in served if m.code != code] + [
        ServedMunicipality(code, name, school_list(schools))]


def with_schools(served: list[ServedMunicipality], code: str,
                 schools: str) -> list[ServedMunicipality]:
    """The same list with one municipality's schools replaced by the typed ones."""
    return [ServedMunicipality(m.code, m.name, school_list(schools)) if m.code == code else m
            for m in served]


def without(served: list[ServedMunicipality], code: str) -> list[ServedMunicipality]:
    return [m for m in served if m.code != code]
