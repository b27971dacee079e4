"""School visits without flet: one-tap check-in at a named school, check-in at a chosen school,
and check-out. Home's check-in buttons and the schools screen both call these; each saves
through the Logbook, confirms and navigates by path.

Home never checks in at a school it does not name: ``check_in_schools`` is what it offers, the
suggested school first (the last one checked in at, else the first served), then every other
served school, each one tap.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from fieldapp.domain import SchoolVisit, ValidationError
from fieldapp.domain.tracking import school_key
from fieldapp.logbook import Logbook

from ..kit import municipality as homes
from ..kit.formats import format_time

if TYPE_CHECKING:
    from ..shell import Screen


def clock(moment: datetime | None) -> str:
    return format_time(moment)


def check_in_schools(logbook: Logbook, last_school: str = "") -> list[str]:
    """The schools Home names for one-tap check-in: the last school checked in at (else the
    first served) first, then the other served schools in their configured order, each once
    (names compared as ``tracking.school_key``). With schools served, a last school outside
    them (typed once in the picker, or of a municipality no longer served) is not offered;
    with none served, the last school is. Empty: no school known, the picker asks."""
    served = [s.strip() for s in logbook.served.schools() if s.strip()]
    last = last_school.strip()
    if served and all(school_key(last) != school_key(s) for s in served):
        last = ""
    found: list[str] = []
    for name in (last, *served):
        if name and all(school_key(name) != school_key(known) for known in found):
            found.append(name)
    return found


def check_in_tapped(screen: Screen, school: str = "") -> None:
    """One tap on a named school checks in there; without a school (none known) the picker
    asks for one."""
    school = school.strip()
    if school:
        check_in(screen, school)
    else:
        screen.go("/school/checkin")


def check_in(screen: Screen, school: str, municipality: str = "") -> str | None:
    """Check in now; the visit belongs to the given municipality, else the school's, else the
    remembered one."""
    school = school.strip()
    home = municipality or homes.default_municipality(screen.logbook, school)
    visit = SchoolVisit(school=school, checked_in_at=screen.app.now(), municipality=home)
    try:
        screen.logbook.add(visit)
    except ValidationError:
        screen.go("/school/checkin")
        return None
    screen.app.last_school = visit.school
    homes.remember(screen.logbook, visit.municipality)
    screen.confirm_saved(screen.t("school.checked_in", school=visit.school,
                                  time=clock(visit.checked_in_at)))
    screen.router.current = None
    screen.go("/")
    return visit.id


def check_out(screen: Screen, visit_id: str) -> None:
    visit = screen.record(SchoolVisit, visit_id)
    visit.checked_out_at = max(screen.app.now(), visit.checked_in_at)
    visit.municipality = visit.municipality or homes.school_municipality(
        screen.logbook, visit.school)
    try:
        screen.logbook.update(visit)
    except ValidationError:  # a visit without a municipality: pick it on the visit first
        screen.toast(screen.t("homeless.pick_first"))
        screen.go(f"/school/{visit_id}")
        return
    screen.confirm_saved(screen.t("school.checked_out", school=visit.school,
                                  time=clock(visit.checked_out_at)))
    screen.go(f"/school/{visit_id}")
