"""School visits without flet: one-tap check-in (the last school, or the only one served),
check-in at a chosen school, and check-out. Home's big button and the schools screen both call
these; each saves through the Logbook, confirms and navigates by path.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from fieldapp.domain import SchoolVisit, ValidationError

from ..kit import municipality as homes
from ..kit.formats import format_time

if TYPE_CHECKING:
    from ..shell import Screen


def clock(moment: datetime | None) -> str:
    return format_time(moment)


def check_in_tapped(screen: Screen) -> None:
    """One tap: check in at the last school (or the only one configured); else pick one."""
    school = screen.app.last_school
    schools = screen.logbook.served.schools()
    if not school and len(schools) == 1:
        school = schools[0]
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
