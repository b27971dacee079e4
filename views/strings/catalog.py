"""One language's catalog, merged from its per-feature tables (``views/strings/<lang>/``)."""

from __future__ import annotations

import importlib

FEATURES = ("common", "lock", "home", "schools", "observations", "u18", "crisis", "sync",
            "settings", "report", "meetings", "agreement")


def merged(language_package: str) -> dict[str, str]:
    """Every feature's STRINGS of one language in one table; a key in two tables is a
    mistake (one would hide the other), so it is refused."""
    catalog: dict[str, str] = {}
    for feature in FEATURES:
        table: dict[str, str] = importlib.import_module(
            f"{language_package}.{feature}").STRINGS
        twice = catalog.keys() & table.keys()
        if twice:
            raise ValueError(f"{language_package}.{feature} repeats {sorted(twice)}")
        catalog.update(table)
    return catalog
