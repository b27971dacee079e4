"""Reading and writing the dates, times and numbers an officer types (no flet here).

A value that cannot be read raises ``ParseProblem`` naming the field and the string key to
show next to it; an empty field reads as None.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo


class ParseProblem(ValueError):
    """A typed value could not be read; ``field`` and ``key`` name the strings to show."""

    def __init__(self, field: str, key: str):
        super().__init__(key)
        self.field = field
        self.key = key


def parse_int(text: str, field: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ParseProblem(field, "form.not_a_number")
    return int(text)


def parse_date(text: str, field: str) -> date | None:
    """dd.mm.yyyy (also d.m.yy and yyyy-mm-dd)."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ParseProblem(field, "form.not_a_date")


def parse_time_on(day: date, text: str, field: str, tz: tzinfo | None) -> datetime | None:
    """HH:MM on a given day, in the device's time zone."""
    text = text.strip()
    if not text:
        return None
    try:
        t = datetime.strptime(text.replace(".", ":"), "%H:%M").time()
    except ValueError:
        raise ParseProblem(field, "form.not_a_time") from None
    return datetime.combine(day, t, tzinfo=tz)


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone()
    return value.strftime("%d.%m.%Y")


def format_time(value: datetime | None) -> str:
    return "" if value is None else value.astimezone().strftime("%H:%M")


def format_moment(value: datetime | None) -> str:
    return "" if value is None else value.astimezone().strftime("%d.%m.%Y %H:%M")
