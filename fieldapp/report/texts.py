"""Words of the evaluation report, bokmål first and English second (PDF and CSV share them)."""

from __future__ import annotations

from datetime import date

from fieldapp.domain.messages import code_label

from .disclosure import OTHER_PLACES, Figure
from .period import Period

LANGUAGES = ("nb", "en")

TEXTS = {
    "nb": {
        "title": "Evaluering av samarbeidsavtalen",
        "and": "og",
        "period": "Periode", "as_of": "Status per", "made": "Laget",
        "privacy": ("Bare tall, ingen personer. Antall hendelser under 3 vises som «<3»; 0 "
                    "vises som 0. En sum vises bare når alle tallene den summerer vises "
                    "eksakt. Steder med færre enn 3 observasjoner er slått sammen til «Andre "
                    "steder», og minste navngitte sted legges til når det trengs for at "
                    "summen ikke røper et lite tall."),
        "method": ("Halvåret er enheten for tall om personer, måneden for tallene per måned. "
                   "Årsrapporten legger sammen de to halvårsrapportene: eksakt når begge "
                   "halvår er eksakte, ellers som et intervall («4–5») eller «vises ikke». "
                   "Året minus et halvår gir derfor aldri mer enn halvårsrapporten selv "
                   "viser. Et antall for en kategori eller et satsingsområde vises ikke når "
                   "det ville avsløre en skjult sum."),
        "s_schools": "1. Skolebesøk", "s_presence": "2. Tilstedeværelse i kommunen",
        "s_meetings": "3. Politiråd og SLT-møter", "s_observations": "4. Observasjoner i "
        "ungdomsmiljøet", "s_cases": "5. Oppfølging av U18-saker", "s_callouts": "6. Kriseledelse",
        "s_areas": "7. Satsingsområder",
        "agreed": "Avtalt",
        "agreed_schools": "besøk hver {days}. dag",
        "counted_windows": "Telt i faste perioder på {days} dager, mandag til søndag, fra "
                           "{first} til {last}.",
        "no_windows_counted": "Ingen besøksperiode er telt ennå.",
        "started": "Tellingen starter {day}, da loggboken ble tatt i bruk. En besøksperiode, "
                   "uke eller et halvår som begynte før, telles bare når målet ble nådd.",
        "no_schools": "Avtalen har ingen skole med fast besøksrytme.",
        "school": "Skole", "windows_met": "Vinduer oppfylt", "windows_missed": "Ikke oppfylt",
        "window_open": "Pågår", "visits": "Besøk",
        "other_school_visits": "Besøk på andre skoler: {n}",
        "agreed_presence": "minst {n} dager i uken", "agreed_presence.one": "minst 1 dag i uken",
        "no_presence": "ikke noe avtalt mål",
        "weeks_met": "Uker oppfylt", "weeks_missed": "Uker ikke oppfylt",
        "week_open": "Uke pågår", "days_present": "Dager til stede",
        "meeting_type": "Møte", "part": "Del av perioden", "target": "Avtalt", "held": "Holdt",
        "verdict": "Vurdering", "at_least": "minst {n} per {per}",
        "met": "oppfylt", "missed": "ikke oppfylt", "ongoing": "pågår",
        "not_assessed": "ikke vurdert (delvis i perioden)", "no_target": "ikke noe avtalt mål",
        "before_start": "ikke vurdert (før loggboken ble tatt i bruk)",
        "agendas": "Saksliste sendt minst {days} dager før: {on} i tide, {late} for sent, "
                   "{unknown} ikke registrert.",
        "no_meetings": "Ingen møter registrert i perioden.",
        "agendas_on_time": "Saksliste i tide", "agendas_late": "Saksliste for sent",
        "agendas_unknown": "Saksliste ikke registrert",
        "by_month": "Observasjoner per måned", "by_category": "Per bekymring",
        "by_place": "Per sted", "count": "Antall", "category": "Bekymring", "place": "Sted",
        "month": "Måned", "total": "Sum", "withheld": "vises ikke",
        "observations_total": "Observasjoner i perioden: {n}",
        "cases_opened": "Opprettet", "cases_closed": "Avsluttet",
        "cases_overdue": "Åpne med forfalt tiltak ved periodens slutt",
        "event_type": "Hendelse", "response": "Median responstid (min)",
        "callouts_total": "Innkallinger i alt: {n}. Median responstid: {m} min.",
        "area": "Satsingsområde", "highest": "(vektlagt høyest)", "meetings": "Møter",
        "decisions": "Vedtak", "school_visits": "Skolebesøk", "observations": "Observasjoner",
        "callouts": "Innkallinger", "cases": "U18-saker",
        "no_areas": "Avtalen har ingen satsingsområder.",
        "other_places": "Andre steder", "page": "Side {n} av {total}",
        "csv_section": "Seksjon", "csv_row": "Rad", "csv_measure": "Måltall",
        "csv_value": "Verdi",
        "months": ("jan.", "feb.", "mars", "april", "mai", "juni", "juli", "aug.", "sep.",
                   "okt.", "nov.", "des."),
        "month_names": ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
                        "september", "oktober", "november", "desember"),
    },
    "en": {
        "title": "Evaluation of the cooperation agreement",
        "and": "and",
        "period": "Period", "as_of": "Status at", "made": "Made",
        "privacy": ("Figures only, no persons. Event counts below 3 are shown as \"<3\"; 0 "
                    "is shown as 0. A total is shown only when every figure it adds up is "
                    "exact. Places with fewer than 3 observations are pooled as \"Other "
                    "places\", and the smallest named place joins them when needed so that "
                    "the total does not give a small count away."),
        "method": ("The half-year is the unit for counts about people, the month for the "
                   "monthly figures. The year report adds up the two half-year reports: "
                   "exact when both halves are exact, otherwise as a range (\"4–5\") or "
                   "\"not shown\". The year minus a half-year therefore never gives more "
                   "than that half-year report shows itself. A count for a category or a "
                   "priority area is not shown when it would give a hidden total away."),
        "s_schools": "1. School visits", "s_presence": "2. Presence in the municipality",
        "s_meetings": "3. Police council and SLT meetings",
        "s_observations": "4. Youth-environment observations", "s_cases": "5. U18 follow-ups",
        "s_callouts": "6. Crisis staff", "s_areas": "7. Priority areas",
        "agreed": "Agreed",
        "agreed_schools": "a visit every {days} days",
        "counted_windows": "Counted in fixed periods of {days} days, Monday to Sunday, from "
                           "{first} to {last}.",
        "no_windows_counted": "No visit period has been counted yet.",
        "started": "Counting starts {day}, when the logbook was taken into use. A visit "
                   "period, week or half-year that began before then counts only when the "
                   "target was met.",
        "no_schools": "The agreement has no school with a fixed visit cadence.",
        "school": "School", "windows_met": "Windows met", "windows_missed": "Missed",
        "window_open": "Running", "visits": "Visits",
        "other_school_visits": "Visits to other schools: {n}",
        "agreed_presence": "at least {n} days a week",
        "agreed_presence.one": "at least 1 day a week", "no_presence": "no target agreed",
        "weeks_met": "Weeks met", "weeks_missed": "Weeks missed",
        "week_open": "Week running", "days_present": "Days present",
        "meeting_type": "Meeting", "part": "Part of the period", "target": "Agreed",
        "held": "Held", "verdict": "Assessment", "at_least": "at least {n} per {per}",
        "met": "met", "missed": "missed", "ongoing": "running",
        "not_assessed": "not assessed (partly in the period)", "no_target": "no target agreed",
        "before_start": "not assessed (before the logbook was taken into use)",
        "agendas": "Agenda sent at least {days} days before: {on} on time, {late} late, "
                   "{unknown} not recorded.",
        "no_meetings": "No meetings recorded in the period.",
        "agendas_on_time": "Agenda on time", "agendas_late": "Agenda late",
        "agendas_unknown": "Agenda not recorded",
        "by_month": "Observations per month", "by_category": "By concern",
        "by_place": "By place", "count": "Count", "category": "Concern", "place": "Place",
        "month": "Month", "total": "Total", "withheld": "not shown",
        "observations_total": "Observations in the period: {n}",
        "cases_opened": "Opened", "cases_closed": "Closed",
        "cases_overdue": "Open with an overdue action at the end of the period",
        "event_type": "Event", "response": "Median response time (min)",
        "callouts_total": "Callouts in all: {n}. Median response time: {m} min.",
        "area": "Priority area", "highest": "(weighted highest)", "meetings": "Meetings",
        "decisions": "Decisions", "school_visits": "School visits",
        "observations": "Observations", "callouts": "Callouts", "cases": "U18 cases",
        "no_areas": "The agreement has no priority areas.",
        "other_places": "Other places", "page": "Page {n} of {total}",
        "csv_section": "Section", "csv_row": "Row", "csv_measure": "Measure",
        "csv_value": "Value",
        "months": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                   "Nov", "Dec"),
        "month_names": ("January", "February", "March", "April", "May", "June", "July",
                        "August", "September", "October", "November", "December"),
    },
}


def lang_of(lang: str) -> str:
    return lang if lang in LANGUAGES else "nb"


def text(key: str, lang: str = "nb", **values: object) -> str:
    template = TEXTS[lang_of(lang)][key]
    if not isinstance(template, str):
        raise KeyError(f"{key!r} is a list of texts (months), not one text")
    return template.format(**values) if values else template


def figure(value: Figure | None, lang: str = "nb") -> str:
    """A published figure as text: a count, "<3", a range "4–5", or "vises ikke" (None)."""
    return text("withheld", lang) if value is None else str(value)


def long_date(day: date, lang: str = "nb") -> str:
    month = TEXTS[lang_of(lang)]["month_names"][day.month - 1]
    return f"{day.day}. {month} {day.year}" if lang_of(lang) == "nb" else \
        f"{day.day} {month} {day.year}"


def short_date(day: date, lang: str = "nb") -> str:
    return day.strftime("%d.%m.%Y") if lang_of(lang) == "nb" else day.isoformat()


def period_label(period: Period, lang: str = "nb") -> str:
    return f"{long_date(period.start, lang)} – {long_date(period.end, lang)}"


def month_label(key: str, lang: str = "nb", *, with_year: bool = True) -> str:
    """A "YYYY-MM" key as "mars 2026" (or "mars" without the year)."""
    year, month = key.split("-")
    name = TEXTS[lang_of(lang)]["months"][int(month) - 1]
    return f"{name} {year}" if with_year else name


def place_label(key: str, lang: str = "nb") -> str:
    return text("other_places", lang) if key == OTHER_PLACES else key


def code_text(code: str, lang: str = "nb") -> str:
    return code_label(code, lang_of(lang))
