"""Calendar days in Norway (Europe/Oslo): the one home for "which day is it" in the rules.

    oslo_day(moment) -> date           the day in Norway of a datetime (a date is its own day;
                                       a naive datetime is taken as device time)
    week_start(day) -> date            Monday of the ISO week that holds the day
    oslo_tz() -> tzinfo | None        None where a phone build has no tz database
    oslo_date(moment, tz) -> date      the day in Norway at an aware moment, in ``tz`` (EU
                                       summer-time rule when there is no tz database)

Every rule, screen and report asks these, never the device's time zone: the app serves
Norwegian municipalities, and a phone or server set to another zone must count the same days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo


def oslo_tz() -> tzinfo | None:
    try:
        from zoneinfo import ZoneInfo
        return ZoneInfo("Europe/Oslo")
    except Exception:  # noqa: BLE001 - no tz database on some phone builds
        return None


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def oslo_date(moment: datetime, tz: tzinfo | None = None) -> date:
    """The calendar day in Norway at a moment (EU summer-time rule when no tz database)."""
    if tz is not None:
        return moment.astimezone(tz).date()
    utc = moment.astimezone(UTC)
    start = datetime.combine(_last_sunday(utc.year, 3), datetime.min.time(), UTC)
    end = datetime.combine(_last_sunday(utc.year, 10), datetime.min.time(), UTC)
    summer = start + timedelta(hours=1) <= utc < end + timedelta(hours=1)
    return (utc + timedelta(hours=2 if summer else 1)).date()


OSLO = oslo_tz()  # None where the phone build has no tz database: the EU rule is used then


def oslo_day(moment: datetime | date) -> date:
    """The Europe/Oslo calendar day of a moment (naive datetimes are taken as device time)."""
    if not isinstance(moment, datetime):
        return moment
    return oslo_date(moment if moment.tzinfo is not None else moment.astimezone(), OSLO)


def week_start(day: date) -> date:
    """Monday of the ISO week that holds ``day``."""
    return day - timedelta(days=day.weekday())
