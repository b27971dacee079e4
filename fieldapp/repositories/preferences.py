"""The officer's own choices on this phone: ``lb.preferences``.

    p = lb.preferences
    p.language = "en"; p.theme = "dark"; p.idle_minutes = 5
    p.last_place, p.last_school, p.last_municipality   # what the forms offer next time
    p.draft = {"route": ..., "values": {...}}          # a form left half-filled at a lock

Each value is typed and falls back to its default when missing or of another type; setting
"" (or None) forgets it. Which values are allowed (languages, themes) is the app's business.
"""

from __future__ import annotations

from typing import Any

from .settings import SettingsDocument


class _Text:
    """A text preference stored under ``key``."""

    def __init__(self, key: str, default: str = "") -> None:
        self.key, self.default = key, default

    def __get__(self, owner: Preferences, cls: type[Preferences] | None = None) -> str:
        value = owner.settings.get(self.key, self.default)
        return value if isinstance(value, str) else self.default

    def __set__(self, owner: Preferences, value: str | None) -> None:
        owner.settings.write({self.key: (value or "").strip() or None})


class _Number:
    """A whole-number preference stored under ``key`` (a bool is not a number here)."""

    def __init__(self, key: str, default: int) -> None:
        self.key, self.default = key, default

    def __get__(self, owner: Preferences, cls: type[Preferences] | None = None) -> int:
        value = owner.settings.get(self.key, self.default)
        return value if isinstance(value, int) and not isinstance(value, bool) else self.default

    def __set__(self, owner: Preferences, value: int) -> None:
        owner.settings.write({self.key: int(value)})


class Preferences:
    language = _Text("language")
    theme = _Text("theme")
    idle_minutes = _Number("idle_minutes", 0)
    last_place = _Text("last_place")
    last_school = _Text("last_school")
    last_municipality = _Text("last_municipality")
    notified_on = _Text("notified_on")  # the day the due-actions reminder last ran (ISO)

    def __init__(self, settings: SettingsDocument) -> None:
        self.settings = settings

    @property
    def draft(self) -> dict[str, Any] | None:
        """The form the officer was filling in when the app locked, until the next unlock."""
        value = self.settings.get("draft")
        return value if isinstance(value, dict) else None

    @draft.setter
    def draft(self, value: dict[str, Any] | None) -> None:
        self.settings.write({"draft": value or None})
