"""The cooperation agreement (samarbeidsavtale) of one municipality, as data.

What was agreed, so that the app can show what was done against it: the schools and their visit
cadence, the presence target, how many council and SLT meetings per half-year or year, the
agenda lead time and the year's priority areas (satsingsområder), one of them weighted highest.

    a = default_agreement("gjesdal")                  # or "stjordal", or the code "1122"/"5035"
    a = agreement_for("1122", stored)                 # stored one, else the default, else None

The logbook keeps them (``fieldapp.repositories.agreements``: ``lb.agreements``).

The defaults come from the two agreements in ``shared/domain`` (quoted at each value). Where an
agreement says nothing, the default says "no target" (0) rather than inventing one — except the
agenda lead time: Gjesdal's agreement names none, and the issue's one week (Stjørdal's rule,
"Agenda … sendes ut senest 1 uke før møtet") is used for both.

Visit windows are fixed 14-day periods counted from ``cadence_anchor`` (a Monday), so every
window runs Monday to Sunday of the following week; see ``tracking.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import codes
from .codec import DecodeError, from_fields, to_dict

JSON_VERSION = 1
SOURCES = ("local", "backend")
CODE_PATTERN = codes.AREA_CODE_PATTERN


@dataclass(kw_only=True)
class School:
    """A school the police contact visits on a fixed cadence."""

    name: str
    visit_every_days: int = 14


@dataclass(kw_only=True)
class MeetingTarget:
    """At least ``count`` meetings of ``meeting_type`` per ``per`` ("half_year" or "year")."""

    meeting_type: str
    count: int
    per: str = "half_year"


def area_title(title_nb: str, title_en: str, lang: str) -> str:
    """A priority area's title in ``lang``: English when asked for and given, else bokmål."""
    return title_en if lang == "en" and title_en else title_nb


@dataclass(kw_only=True)
class PriorityArea:
    """A satsingsområde: a stable code (linked from records), titles and a weight (1 = normal)."""

    code: str
    title_nb: str
    title_en: str = ""
    weight: int = 1

    def title(self, lang: str) -> str:
        return area_title(self.title_nb, self.title_en, lang)


@dataclass(kw_only=True)
class Agreement:
    municipality: str                      # the municipality code records carry (kommunenummer)
    municipality_name: str
    police_district: str = ""
    signed_on: date | None = None
    cadence_anchor: date                   # a Monday: visit windows are counted from here
    schools: list[School] = field(default_factory=list)
    presence_days_per_week: int = 0        # 0: no presence target agreed
    meeting_targets: list[MeetingTarget] = field(default_factory=list)
    agenda_lead_days: int = 7
    priority_year: int | None = None       # None: standing priorities, not tied to a year
    priority_areas: list[PriorityArea] = field(default_factory=list)

    def highest_priority(self) -> PriorityArea | None:
        """The area weighted highest (the first of equals); None without areas."""
        if not self.priority_areas:
            return None
        top = max(area.weight for area in self.priority_areas)
        return next(area for area in self.priority_areas if area.weight == top)

    def target_for(self, meeting_type: str) -> MeetingTarget | None:
        return next((t for t in self.meeting_targets if t.meeting_type == meeting_type), None)

    def area(self, code: str) -> PriorityArea | None:
        return next((a for a in self.priority_areas if a.code == code), None)


def _gjesdal() -> Agreement:
    return Agreement(
        municipality="1122", municipality_name="Gjesdal kommune",
        police_district="Sør-Vest politidistrikt", signed_on=date(2011, 2, 28),
        cadence_anchor=date(2011, 2, 28),  # the signing day, a Monday
        # "hver 14. dag på møte på Gjesdal ungdomsskole"
        schools=[School(name="Gjesdal ungdomsskole", visit_every_days=14)],
        # "fast til stede i Gjesdal kommune minst en dag i uken"
        presence_days_per_week=1,
        meeting_targets=[
            MeetingTarget(meeting_type="politirad", count=2),          # "minst 2 møter i halvåret"
            MeetingTarget(meeting_type="slt_arbeidsgruppe", count=2),  # "minst 2 ganger i halvåret"
        ],
        agenda_lead_days=7,
        priority_areas=[
            # "Gjesdal sin hovedprioritering er … rus- og kriminalitetsforebyggende arbeid blant
            # unge under 18 år"
            PriorityArea(code="rus_krim_u18", weight=2,
                         title_nb="Rus- og kriminalitetsforebygging blant unge under 18 år",
                         title_en="Preventing drug use and crime among young people under 18"),
            # "fysisk til stede der ungdommer befinner seg"
            PriorityArea(code="ungdomsmiljo", title_nb="Til stede der ungdom oppholder seg",
                         title_en="Present where young people gather"),
        ],
    )


def _stjordal() -> Agreement:
    areas = [
        ("vold_overgrep_barn", "Vold og seksuelle overgrep mot barn",
         "Violence and sexual abuse against children", 1),
        ("barn_unge", "Forebyggende tiltak knyttet til barn og unge",
         "Preventive measures for children and young people", 2),  # "vektlegges sterkest i 2019"
        ("beredskap", "Beredskap og krisehåndtering",
         "Emergency preparedness and crisis management", 1),
        ("radikalisering", "Forebygging av radikalisering og voldelig ekstremisme",
         "Preventing radicalisation and violent extremism", 1),
        ("arbeidslivskriminalitet",
         "Felles innsats mot arbeidsmarkedskriminalitet og sosial dumping",
         "Joint effort against labour-market crime and social dumping", 1),
        ("skjenking_rus", "Skjenking og ruspolitikk", "Licensed serving and drug policy", 1),
    ]
    return Agreement(
        municipality="5035", municipality_name="Stjørdal kommune",
        police_district="Trøndelag politidistrikt", signed_on=date(2019, 4, 4),
        cadence_anchor=date(2019, 4, 1),  # Monday of the signing week
        schools=[],                       # "nært samarbeid med skolene", no cadence agreed
        presence_days_per_week=0,         # no presence target in the agreement
        meeting_targets=[
            MeetingTarget(meeting_type="politirad", count=2, per="year"),  # "to ganger årlig"
            # "årlige møter i det interkommunale politirådet i Værnesregionen"
            MeetingTarget(meeting_type="interkommunalt_politirad", count=1, per="year"),
        ],
        agenda_lead_days=7,               # "senest 1 uke før møtet avholdes"
        priority_year=2019,
        priority_areas=[PriorityArea(code=c, title_nb=nb, title_en=en, weight=w)
                        for c, nb, en, w in areas],
    )


_DEFAULTS = {"gjesdal": _gjesdal, "1122": _gjesdal, "stjordal": _stjordal, "stjørdal": _stjordal,
             "5035": _stjordal}


def default_agreement(municipality: str) -> Agreement:
    """The agreement as signed, for "gjesdal"/"stjordal" or their codes; KeyError otherwise."""
    try:
        return _DEFAULTS[municipality.strip().casefold()]()
    except KeyError:
        raise KeyError("no default agreement for that municipality") from None


def agreement_errors(agreement: Agreement) -> list[str]:
    """Names of the parts that are wrong (empty when the agreement is usable)."""
    errors = []
    if not agreement.municipality.strip():
        errors.append("municipality")
    if agreement.cadence_anchor.weekday() != 0:
        errors.append("cadence_anchor")
    if any(not s.name.strip() or not 1 <= s.visit_every_days <= 366 for s in agreement.schools):
        errors.append("schools")
    if not 0 <= agreement.presence_days_per_week <= 7:
        errors.append("presence_days_per_week")
    if any(t.meeting_type not in codes.MEETING_TYPES or t.per not in codes.TARGET_PERIODS
           or t.count < 0 for t in agreement.meeting_targets):
        errors.append("meeting_targets")
    if not 0 <= agreement.agenda_lead_days <= 60:
        errors.append("agenda_lead_days")
    area_codes = [a.code for a in agreement.priority_areas]
    if (len(set(area_codes)) != len(area_codes)
            or any(not CODE_PATTERN.match(c) for c in area_codes)
            or any(a.weight < 1 or not a.title_nb.strip() for a in agreement.priority_areas)):
        errors.append("priority_areas")
    return errors


def agreement_to_json(agreement: Agreement) -> dict[str, Any]:
    return {"version": JSON_VERSION, **to_dict(agreement)}


def agreement_from_json(data: dict[str, Any]) -> Agreement:
    """Read one stored agreement; DecodeError when it is unreadable or inconsistent."""
    if not isinstance(data, dict) or data.get("version") != JSON_VERSION:
        raise DecodeError("unknown agreement format")
    try:
        agreement = from_fields(Agreement, data)
    except TypeError as exc:  # a required value is missing
        raise DecodeError("agreement: missing value") from exc
    if agreement_errors(agreement):
        raise DecodeError("agreement: invalid values")
    return agreement


def agreements_to_json(agreements: list[Agreement]) -> list[dict[str, Any]]:
    return [agreement_to_json(a) for a in agreements]


def agreements_from_json(data: list[dict[str, Any]] | None) -> dict[str, Agreement]:
    """Stored agreements by municipality code; unreadable entries are left out."""
    result: dict[str, Agreement] = {}
    for item in data or []:
        try:
            agreement = agreement_from_json(item)
        except DecodeError:
            continue
        result[agreement.municipality] = agreement
    return result


def agreement_for(municipality: str, stored: dict[str, Agreement]) -> Agreement | None:
    """The stored agreement of a municipality, else its default, else None."""
    if municipality in stored:
        return stored[municipality]
    try:
        return default_agreement(municipality)
    except KeyError:
        return None


def with_agreement(stored: Any, agreement: Agreement) -> list[dict[str, Any]]:
    """The stored list of agreements with this municipality's agreement replaced
    (or added). Entries that cannot be read are kept as they are."""
    items = [item for item in (stored if isinstance(stored, list) else [])
             if not (isinstance(item, dict) and item.get("municipality") == agreement.municipality)]
    return [*items, agreement_to_json(agreement)]


def without_agreement(stored: Any, municipality: str) -> list[dict[str, Any]]:
    """The stored list without this municipality's agreement (it falls back to the default)."""
    return [item for item in (stored if isinstance(stored, list) else [])
            if not (isinstance(item, dict) and item.get("municipality") == municipality)]
