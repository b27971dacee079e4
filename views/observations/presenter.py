"""Observations without flet: the list's order and each line's detail (categories, headcount)."""

from __future__ import annotations

from collections.abc import Callable

from fieldapp.domain import Observation
from fieldapp.domain.messages import code_label


def newest_first(records: list[Observation]) -> list[Observation]:
    return sorted(records, key=lambda o: o.observed_at, reverse=True)


def detail_line(observation: Observation, lang: str, t: Callable[..., str]) -> str:
    """"Slåsskamp, Rus · 6 ungdommer": the categories, then the headcount when counted."""
    cats = ", ".join(code_label(c, lang) for c in sorted(observation.categories))
    count = t("obs.count_line", count=observation.youth_count) \
        if observation.youth_count is not None else ""
    return " · ".join(x for x in (cats, count) if x)
