"""Norsk bokmål, the officer's language: one table per feature, merged here (each key once)."""

from . import (
    agreement,
    common,
    crisis,
    home,
    lock,
    meetings,
    observations,
    report,
    schools,
    settings,
    sync,
    u18,
)

STRINGS: dict[str, str] = {
    **common.STRINGS,
    **lock.STRINGS,
    **home.STRINGS,
    **schools.STRINGS,
    **observations.STRINGS,
    **u18.STRINGS,
    **crisis.STRINGS,
    **sync.STRINGS,
    **settings.STRINGS,
    **report.STRINGS,
    **meetings.STRINGS,
    **agreement.STRINGS,
}
