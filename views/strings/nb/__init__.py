"""Norsk bokmål, the officer's language: one table per feature, merged here (each key once)."""

from ..catalog import merged

STRINGS: dict[str, str] = merged(__name__)
