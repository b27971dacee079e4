"""English, switchable in Settings: one table per feature, merged here (each key once)."""

from ..catalog import merged

STRINGS: dict[str, str] = merged(__name__)
