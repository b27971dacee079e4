"""The agreement editor's rules without widgets: which agreement a served municipality has,
its summary for Settings, typed values → an Agreement (every problem named at its place), and
the line that says where it came from. Saving and resetting are the logbook's
(``lb.agreements.save(agreement, "local", now)``, ``lb.agreements.reset(code)``).

    base = editable_agreement(entry, lb.agreements.all(), today)  # stored, signed or fresh
    agreement, problems = build_agreement(base, typed)    # problems: {place: string key}
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from fieldapp.domain.agreement import (
    Agreement,
    MeetingTarget,
    PriorityArea,
    School,
    agreement_errors,
    agreement_for,
    default_agreement,
)
from fieldapp.domain.codes import MEETING_TYPES, TARGET_PERIODS
from fieldapp.domain.days import oslo_day, week_start
from fieldapp.domain.messages import code_label
from fieldapp.repositories import AgreementSource

from .. import strings

DEFAULT_CADENCE = 14
ROUTE_SAFE = re.compile(r"^[A-Za-z0-9]+$")
HIGHEST, NORMAL = 2, 1
RANGES = {"presence": (0, 7), "days": (1, 366), "count": (0, 99), "lead": (0, 60),
          "year": (2000, 2100)}
# agreement_errors' part names → where the editor shows them
PARTS = {"schools": "schools", "presence_days_per_week": "presence",
         "meeting_targets": "targets", "agenda_lead_days": "lead",
         "priority_areas": "areas"}


@dataclass(frozen=True)
class SchoolInput:
    name: str
    every_days: str


@dataclass(frozen=True)
class AreaInput:
    code: str          # "" for a new area: made from the title on save
    title_nb: str
    title_en: str = ""
    highest: bool = False


@dataclass(frozen=True)
class AgreementInput:
    """What the officer typed; ``targets``: {meeting type: (count, per)}."""

    presence_days: str
    agenda_lead_days: str
    priority_year: str = ""
    schools: list[SchoolInput] = field(default_factory=list)
    targets: dict[str, tuple[str, str]] = field(default_factory=dict)
    areas: list[AreaInput] = field(default_factory=list)


# -- which agreement ---------------------------------------------------------------------------

def route_id(code: str) -> str:
    """The municipality's part of the editor route (codes with other letters go as hex)."""
    return code if ROUTE_SAFE.match(code) else "h-" + code.encode("utf-8").hex()


def served_entry(served: list[dict[str, Any]], ident: str) -> dict[str, Any] | None:
    return next((m for m in served if route_id(str(m.get("code", ""))) == ident), None)


def has_default(code: str) -> bool:
    try:
        default_agreement(code)
    except KeyError:
        return False
    return True


def fresh_agreement(entry: dict[str, Any], today: date) -> Agreement:
    """An agreement for a served municipality without one: its schools every 14 days,
    visit windows counted from this week's Monday, no targets."""
    return Agreement(
        municipality=str(entry["code"]), municipality_name=str(entry.get("name") or ""),
        cadence_anchor=week_start(today),
        schools=[School(name=s, visit_every_days=DEFAULT_CADENCE)
                 for s in entry.get("schools", []) if str(s).strip()])


def editable_agreement(entry: dict[str, Any], stored: dict[str, Agreement],
                       today: date) -> Agreement:
    """``stored``: the logbook's agreements by code (``lb.agreements.all()``)."""
    return agreement_for(str(entry["code"]), stored) or fresh_agreement(entry, today)


# -- the summary in Settings -------------------------------------------------------------------

def source_line(code: str, stored: dict[str, Agreement],
                sources: dict[str, AgreementSource], lang: str) -> str:
    """Signed default, edited on the phone, synced from the municipality – or none yet."""
    if code not in stored:
        return strings.text("agreement.source_default" if has_default(code)
                            else "agreement.source_none", lang)
    entry = sources.get(code)
    try:
        when = oslo_day(datetime.fromisoformat(entry.at if entry else "")).strftime("%d.%m.%Y")
    except ValueError:
        when = ""
    key = "agreement.source_backend" if entry and entry.source == "backend" \
        else "agreement.source_local"
    return strings.text(key, lang, date=when).strip()


def summary_lines(agreement: Agreement, lang: str) -> list[str]:
    def t(key: str, **params: object) -> str:
        return strings.text(key, lang, **params)

    schools = ", ".join(t("agreement.school_every", name=s.name, days=s.visit_every_days)
                        for s in agreement.schools)
    targets = ", ".join(
        t("agreement.target", type=code_label(m.meeting_type, lang), count=m.count,
          per=code_label(m.per, lang)) for m in agreement.meeting_targets if m.count)
    highest = agreement.highest_priority()
    areas = ", ".join(a.title(lang) + (f" ({t('agreement.highest_mark')})" if a is highest
                                       else "")
                      for a in agreement.priority_areas)
    presence = agreement.presence_days_per_week
    return [
        t("agreement.schools", schools=schools) if schools else t("agreement.no_schools"),
        t("agreement.presence", count=presence) if presence else t("agreement.presence_none"),
        t("agreement.meetings", targets=targets) if targets else t("agreement.meetings_none"),
        t("agreement.lead", days=agreement.agenda_lead_days),
        t("agreement.areas", areas=areas) if areas else t("agreement.areas_none"),
    ]


# -- typed values → an Agreement ---------------------------------------------------------------

def input_from(agreement: Agreement) -> AgreementInput:
    """The agreement as the editor's fields show it."""
    highest = agreement.highest_priority()
    targets = {}
    for kind in MEETING_TYPES:
        found = agreement.target_for(kind)
        targets[kind] = (str(found.count), found.per) if found else ("", TARGET_PERIODS[0])
    return AgreementInput(
        presence_days=str(agreement.presence_days_per_week),
        agenda_lead_days=str(agreement.agenda_lead_days),
        priority_year="" if agreement.priority_year is None else str(agreement.priority_year),
        schools=[SchoolInput(s.name, str(s.visit_every_days)) for s in agreement.schools],
        targets=targets,
        areas=[AreaInput(a.code, a.title_nb, a.title_en, a is highest)
               for a in agreement.priority_areas])


def read_number(text: str, kind: str, place: str, problems: dict[str, str]) -> int | None:
    """The whole number typed, or None with the problem recorded at ``place``."""
    text = text.strip()
    if not text.isdigit():
        problems[place] = "form.not_a_number"
        return None
    low, high = RANGES[kind]
    if not low <= int(text) <= high:
        problems[place] = f"agreement.err_{kind}"
        return None
    return int(text)


def _schools(typed: list[SchoolInput], problems: dict[str, str]) -> list[School]:
    schools: list[School] = []
    seen: set[str] = set()
    for i, row in enumerate(typed):
        if not row.name.strip() and not row.every_days.strip():
            continue  # a row added and left empty
        if not row.name.strip():
            problems[f"school-{i}-name"] = "agreement.err_school_name"
        elif row.name.strip().casefold() in seen:
            problems[f"school-{i}-name"] = "agreement.err_school_twice"
        seen.add(row.name.strip().casefold())
        days = read_number(row.every_days or str(DEFAULT_CADENCE), "days", f"school-{i}-days",
                           problems)
        if row.name.strip() and days is not None:
            schools.append(School(name=row.name.strip(), visit_every_days=days))
    return schools


def _targets(typed: dict[str, tuple[str, str]], problems: dict[str, str]) -> list[MeetingTarget]:
    targets = []
    for kind in MEETING_TYPES:
        count_text, per = typed.get(kind, ("", TARGET_PERIODS[0]))
        if not count_text.strip():
            continue  # no target agreed
        count = read_number(count_text, "count", f"target-{kind}", problems)
        if count:
            targets.append(MeetingTarget(meeting_type=kind, count=count,
                                         per=per if per in TARGET_PERIODS else TARGET_PERIODS[0]))
    return targets


def area_code(title: str, taken: set[str]) -> str:
    """A stable code from a title: lowercase a-z, 0-9 and _, unique among ``taken``."""
    text = title.casefold().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:36].strip("_") or "omrade"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def _areas(typed: list[AreaInput], problems: dict[str, str]) -> list[PriorityArea]:
    """Rows left empty are dropped; the area marked (else the first) is weighted highest."""
    rows = [(i, row) for i, row in enumerate(typed) if row.title_nb.strip() or row.title_en.strip()]
    taken = {row.code for _, row in rows if row.code}
    marked = next((i for i, row in rows if row.highest), rows[0][0] if rows else None)
    areas = []
    for i, row in rows:
        if not row.title_nb.strip():
            problems[f"area-{i}"] = "agreement.err_area_title"
            continue
        code = row.code or area_code(row.title_nb, taken)
        taken.add(code)
        areas.append(PriorityArea(code=code, title_nb=row.title_nb.strip(),
                                  title_en=row.title_en.strip(),
                                  weight=HIGHEST if i == marked else NORMAL))
    return areas


def build_agreement(base: Agreement, typed: AgreementInput
                    ) -> tuple[Agreement | None, dict[str, str]]:
    """The edited agreement, or None and {place: string key} for every problem found."""
    problems: dict[str, str] = {}
    presence = read_number(typed.presence_days or "0", "presence", "presence", problems)
    lead = read_number(typed.agenda_lead_days, "lead", "lead", problems)
    year = read_number(typed.priority_year, "year", "year", problems) \
        if typed.priority_year.strip() else None
    edited = replace(base, schools=_schools(typed.schools, problems),
                     presence_days_per_week=presence or 0,
                     meeting_targets=_targets(typed.targets, problems),
                     agenda_lead_days=lead if lead is not None else base.agenda_lead_days,
                     priority_year=year, priority_areas=_areas(typed.areas, problems))
    if problems:
        return None, problems
    for part in agreement_errors(edited):
        problems[PARTS.get(part, "general")] = "agreement.err_invalid"
    return (None, problems) if problems else (edited, {})
